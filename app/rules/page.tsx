import { query } from "@/components/server/query";

export const metadata = { title: "分享规则说明" };

type Rules = { version: number; k: number; rDirectBp: number; rTeamBp: number; rPeerBp: number; maxDepth: number; capTotalBp: number; settleDays: number };
const pct = (bp: number) => `${bp / 100}%`;

/** The public rule page: what is paid, when, and what the platform never pays for. */
export default async function RulesPage() {
  const { ruleBook: r } = await query<{ ruleBook: Rules }>(`{ ruleBook { version k rDirectBp rTeamBp rPeerBp maxDepth capTotalBp settleDays } }`);
  return (
    <main className="landing" style={{ maxWidth: 720 }}>
      <h1>分享规则说明</h1>
      <p className="muted">当前规则版本 v{r.version}。规则调整只影响调整生效后的订单。</p>
      <section className="card">
        <h2>怎样获得收益</h2>
        <p>收益只来自<strong>真实购买、已完成结算</strong>的订单，按商品实付金额（不含运费）的一定比例计算：</p>
        <ul>
          <li>直推奖：你直接邀请的好友购买，你获得实付金额的 {pct(r.rDirectBp)}（需已成为分享者）。</li>
          <li>团队奖：你团队中的成员购买，团长获得 {pct(r.rTeamBp)}。</li>
          <li>平级奖：你培养的团长所得团队奖的 {pct(r.rPeerBp)}，仅一代。</li>
          <li>任何奖励只计算到邀请关系的第 {r.maxDepth} 层为止；每件商品的奖励合计不超过实付金额的 {pct(r.capTotalBp)}。</li>
        </ul>
      </section>
      <section className="card">
        <h2>身份</h2>
        <ul>
          <li>分享者：免费，同意推广协议并完成实名认证即可，<strong>无需购买任何商品</strong>。</li>
          <li>团长：有 {r.k} 位你直接邀请的好友完成首笔订单结算后自动成为团长；成为团长本身不产生任何奖励。</li>
        </ul>
      </section>
      <section className="card">
        <h2>结算与退款</h2>
        <p>订单确认收货后满 {r.settleDays} 天且未退款，收益转为可提现；退款时相应收益按比例退回，已结算的从余额中扣回。</p>
      </section>
      <section className="card">
        <h2>平台绝不支付</h2>
        <ul>
          <li>注册、拉人头、邀请人数本身的任何奖励</li>
          <li>入门费、购买礼包获得身份或更高比例</li>
          <li>超过 {r.maxDepth} 层的任何奖励，或多代平级奖</li>
          <li>以发展人数为条件的分红或扣留收益</li>
        </ul>
        <p className="muted">本平台不承诺任何收入。</p>
      </section>
    </main>
  );
}
