/** Masks for personal data shown to people who do not need it in full. Pure. */

/** 13812341234 → 138****1234 */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return "*".repeat(phone.length);
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** 张三丰 → 张** ; single character names keep nothing. */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return "*";
  return chars[0] + "*".repeat(chars.length - 1);
}
