import assert from 'node:assert/strict';
import { applyCoupon, subtotal } from '../src/cart';

describe('cart', () => {
  it('adds up the lines', () => {
    assert.equal(subtotal([{ sku: 'tea', priceCents: 450, quantity: 2 }]), 900);
  });

  it('applies a 15% coupon', () => {
    assert.equal(applyCoupon(1000, 15), 850);
  });

  it('leaves a line with no quantity out of the total', () => {
    assert.equal(subtotal([{ sku: 'tea', priceCents: 450, quantity: 0 }]), 0);
  });

  it('applies a 50% coupon', () => {
    assert.equal(applyCoupon(1000, 50), 500);
  });
});
