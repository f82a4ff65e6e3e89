import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { serverNow } from "@/components/server/clock";
import { PortalShell } from "@/components/portal-shell";
import { formatTime } from "@/components/format";
import { PointsSettingsForm, MallItemForm, AdjustPointsForm, DisableMallItemButton, type CouponOption, type Settings } from "./points-forms";

export const metadata = { title: "积分" };

const PAGE = `query OperatorPoints {
  pointsSettings { enabled earnPerYuan spendPoints spendFen maxDeductBp expiryDays }
  operatorPointsMallItems { id kind title pointsPrice totalQuantity redeemedCount perUserLimit startsAt endsAt disabledAt couponFace productTitle skuLabel }
  pointsMallCouponOptions { id title face claimStartsAt claimEndsAt remaining }
}`;
type Item = {
  id: string; kind: string; title: string; pointsPrice: number; totalQuantity: number; redeemedCount: number; perUserLimit: number;
  startsAt: string; endsAt: string; disabledAt: string | null; couponFace: string | null; productTitle: string | null; skuLabel: string | null;
};

/** Points: the rates (earn, spend, cap, expiry), the points mall's items, and adjustments. */
export default async function OperatorPointsPage() {
  const viewer = await requireRole("OPERATOR", "/operator/points");
  const [d, now] = await Promise.all([query<{ pointsSettings: Settings; operatorPointsMallItems: Item[]; pointsMallCouponOptions: CouponOption[] }>(PAGE), serverNow()]);
  return (
    <PortalShell kind="operator" title="积分" who={viewer.nickname}>
      <section className="card">
        <h3>积分规则</h3>
        <PointsSettingsForm initial={d.pointsSettings} />
      </section>
      <section className="card">
        <h3>积分商城</h3>
        <MallItemForm now={now} coupons={d.pointsMallCouponOptions} />
        <table className="table" style={{ marginTop: 12 }}>
          <thead>
            <tr><th>名称</th><th>内容</th><th>所需积分</th><th>已兑/总量</th><th>每人限兑</th><th>兑换时间</th><th></th></tr>
          </thead>
          <tbody>
            {d.operatorPointsMallItems.map((i) => (
              <tr key={i.id} data-testid="operator-mall-item">
                <td>{i.title}</td>
                <td>{i.kind === "COUPON" ? `平台券 ${i.couponFace ?? ""}` : `${i.productTitle ?? ""} ${i.skuLabel ?? ""}`}</td>
                <td>{i.pointsPrice}</td>
                <td>{i.redeemedCount}/{i.totalQuantity}</td>
                <td>{i.perUserLimit}</td>
                <td>{formatTime(i.startsAt)} – {formatTime(i.endsAt)}</td>
                <td>{i.disabledAt ? <span className="tag tag-gray">已停用</span> : <DisableMallItemButton itemId={i.id} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h3>积分调整</h3>
        <AdjustPointsForm />
      </section>
    </PortalShell>
  );
}
