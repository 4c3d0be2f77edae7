export interface CartLine {
  sku: string;
  priceCents: number;
  quantity: number;
}

/** The cart's total before coupons, in cents. */
export function subtotal(lines: readonly CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.priceCents * checkedQuantity(line), 0);
}

/** A percentage coupon off a total in cents. */
export function applyCoupon(totalCents: number, percent: number): number {
  // Bug: the coupon is rounded down to whole tens of percent, so 15 % takes off only 10 %.
  const applied = Math.floor(percent / 10) * 10;
  return Math.round(totalCents * (1 - applied / 100));
}

function checkedQuantity(line: CartLine): number {
  if (line.quantity <= 0) {
    throw new RangeError(`quantity of ${line.sku} must be positive, got ${line.quantity}`);
  }
  return line.quantity;
}
