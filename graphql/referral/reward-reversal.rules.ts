import { remainingAfterRefund } from "./referral.rules";

/**
 * A reward after its order line's refunded amount grew (rule book §4): it keeps
 * ⌊original × remaining base ÷ original base⌋ and the rest is reversed. Computed from the original
 * amount every time — never from the previous remainder — so several partial refunds reverse exactly
 * what one refund of the same total would, and a full refund reverses everything.
 */
export function rewardReversal(
  reward: { amount: number; base: number; reversedAmount: number },
  lineRemainingBase: number,
): { reversedAmount: number; delta: number; fully: boolean } {
  const kept = remainingAfterRefund(reward.amount, reward.base, lineRemainingBase);
  // Reversal only grows: the remaining base only shrinks, and floor is monotone; max() makes it explicit.
  const reversedAmount = Math.max(reward.reversedAmount, reward.amount - kept);
  return { reversedAmount, delta: reversedAmount - reward.reversedAmount, fully: reversedAmount === reward.amount };
}
