import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { serverNow } from "@/components/server/clock";
import { PortalShell } from "@/components/portal-shell";
import { AutoRefresh } from "@/components/auto-refresh";
import { FlashBadge, type FlashState } from "@/components/flash-parts";
import { formatTime, toShanghaiInput } from "@/components/format";
import { formatFen } from "@/graphql/platform/money";
import { FlashSaleForm, type FlashSkuOption } from "./flash-sale-form";
import { CancelFlashSale } from "./cancel-button";

export const metadata = { title: "秒杀活动" };

const FLASH = `query MerchantFlash($after: String) {
  myStore { slug }
  merchantFlashSales(first: 50, after: $after) {
    nodes { id productTitle skuLabel image flashPrice { amount } listPrice { amount } perUserLimit
      startsAt endsAt state totalStock remaining reserved sold closeReason }
    pageInfo { hasNextPage endCursor }
  }
  merchantListings(first: 100) { nodes { id status title skus { skuId label retailPrice { amount } minRetailPrice { amount } stock } } }
}`;

type Sale = {
  id: string; productTitle: string; skuLabel: string; image: string | null; flashPrice: { amount: number }; listPrice: { amount: number }; perUserLimit: number;
  startsAt: string; endsAt: string; state: FlashState; totalStock: number; remaining: number; reserved: number; sold: number; closeReason: string | null;
};
type Data = {
  myStore: { slug: string };
  merchantFlashSales: { nodes: Sale[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  merchantListings: { nodes: { id: string; status: string; title: string; skus: { skuId: string; label: string; retailPrice: { amount: number }; minRetailPrice: { amount: number }; stock: number }[] }[] };
};

const MINUTE = 60_000;

/** 秒杀活动: put one of my SKUs on a flash sale; my sales with live counters (refreshed every 5 s). */
export default async function MerchantFlashSales({ searchParams }: { searchParams: Promise<{ after?: string }> }) {
  const viewer = await requireRole("MERCHANT", "/merchant/flash");
  const { after } = await searchParams;
  const [d, now] = await Promise.all([query<Data>(FLASH, { after: after || null }), serverNow()]);
  const options: FlashSkuOption[] = d.merchantListings.nodes
    .filter((l) => l.status === "ON_SHELF")
    .flatMap((l) => l.skus.map((s) => ({ skuId: s.skuId, title: l.title, label: s.label, retailPrice: s.retailPrice.amount, minRetailPrice: s.minRetailPrice.amount, stock: s.stock })));
  // Default window: from the next whole minute at least 5 minutes ahead, for one hour (Asia/Shanghai).
  const start = Math.ceil((Date.parse(now) + 5 * MINUTE) / MINUTE) * MINUTE;
  const sales = d.merchantFlashSales.nodes;
  return (
    <PortalShell kind="merchant" title="秒杀活动" who={viewer.nickname} actions={<Link className="btn btn-sm" href={`/s/${d.myStore.slug}/flash`} target="_blank">查看秒杀会场</Link>}>
      <AutoRefresh seconds={5} />
      <section className="card">
        <h3>新建秒杀</h3>
        <FlashSaleForm options={options} defaultStart={toShanghaiInput(new Date(start))} defaultEnd={toShanghaiInput(new Date(start + 60 * MINUTE))} />
      </section>
      <section className="card">
        <div className="row between"><h3>我的秒杀</h3><span className="muted">每 5 秒自动刷新</span></div>
        {sales.length === 0 ? (
          <p className="muted">还没有秒杀活动</p>
        ) : (
          <table className="table">
            <thead>
              <tr><th></th><th>商品</th><th>秒杀价</th><th>活动时间</th><th>状态</th><th>总库存</th><th>剩余</th><th>待支付</th><th>已售</th><th>限购</th><th></th></tr>
            </thead>
            <tbody>
              {sales.map((s) => (
                <tr key={s.id} data-testid="flash-row">
                  {/* eslint-disable-next-line @next/next/no-img-element */}
                  <td>{s.image && <img className="thumb" src={s.image} alt="" />}</td>
                  <td><div>{s.productTitle}</div><div className="muted">{s.skuLabel}</div></td>
                  <td>{formatFen(s.flashPrice.amount)}<div className="strike" style={{ marginLeft: 0 }}>{formatFen(s.listPrice.amount)}</div></td>
                  <td className="muted">{formatTime(s.startsAt)}<br />至 {formatTime(s.endsAt)}</td>
                  <td><FlashBadge state={s.state} />{s.closeReason && <div className="muted" data-testid="flash-close-reason">{s.closeReason}</div>}</td>
                  <td>{s.totalStock}</td>
                  <td data-testid="flash-remaining">{s.remaining}</td>
                  <td data-testid="flash-reserved">{s.reserved}</td>
                  <td data-testid="flash-sold">{s.sold}</td>
                  <td>{s.perUserLimit} 件/人</td>
                  <td>{s.state === "UPCOMING" && <CancelFlashSale id={s.id} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {d.merchantFlashSales.pageInfo.hasNextPage && (
          <div className="pager"><Link className="btn" href={`/merchant/flash?after=${d.merchantFlashSales.pageInfo.endCursor}`}>下一页</Link></div>
        )}
      </section>
    </PortalShell>
  );
}
