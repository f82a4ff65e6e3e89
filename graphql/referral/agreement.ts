/**
 * The promoter agreement (推广协议), versioned with the code that enforces it. A person becomes a
 * SHARER by accepting the version in force; each acceptance is recorded with its time
 * (agreement_acceptances). A new version is added here with a later `effectiveAt`; earlier ones
 * stay for the record — what someone accepted can always be shown again.
 */
export type Agreement = { version: string; title: string; effectiveAt: Date; clauses: string[] };

export const PROMOTER_AGREEMENTS: readonly Agreement[] = [
  {
    version: "2026-11",
    title: "链播推广者协议",
    effectiveAt: new Date("2026-11-01T00:00:00+08:00"),
    clauses: [
      "成为分享者免费，不以购买任何商品或缴纳任何费用为条件。",
      "分享收益只来自真实、已结算的商品销售，最多计算三级，且每笔订单的收益合计不超过平台公示的上限。",
      "注册、邀请、晋升本身不产生任何收益；平台不承诺任何收入。",
      "订单确认收货且超过退货期后收益方可结算；发生退款的，相应收益按比例扣回。",
      "与被邀请人使用同一设备、手机号、收货地址或支付账户的，相关订单不产生收益。",
      "提现需完成实名认证，收款人须与实名一致；平台依法代扣代缴并报送佣金收入信息。",
      "违反规则的账户可能被冻结审核，审核期间收益暂不结算、不可提现。",
    ],
  },
];

/** The version in force at `at` (the latest whose effectiveAt has passed). */
export function agreementInForce(at: Date): Agreement {
  const inForce = PROMOTER_AGREEMENTS.filter((a) => a.effectiveAt.getTime() <= at.getTime());
  return inForce.length ? inForce[inForce.length - 1] : PROMOTER_AGREEMENTS[0];
}
