/** Formats amounts for the demo's receipts. */
export function formatAmount(amount: number, currency: string): string {
  const rounded = Math.round(amount * 100) / 100;
  return `${rounded.toFixed(2)} ${currency}`;
}

export function formatReceiptLine(label: string, amount: number, currency: string): string {
  const width = 32;
  const separator = ' | ';
  return `${label.padEnd(width)}${formatAmount(amount, currency)}`;
}
