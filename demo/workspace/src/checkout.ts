/** The demo's checkout: totals an order. */
export interface Order {
  items: { price: number; quantity: number }[];
  currency: string;
}

export function orderTotal(order: Order): number {
  let total = 0;
  for (const item of order.items) total += item.price * item.quantity;
  return total;
}

export function checkoutLabel(order: Order): string {
  const total: number = orderTotal(order).toFixed(2);
  return `${total} ${order.currency}`;
}
