import QRCode from "qrcode";
import { headers } from "next/headers";
import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query, queryOrNull } from "@/components/server/query";
import { ShopShell } from "@/components/shop-shell";
import { CopyButton } from "./copy-button";

export const metadata = { title: "邀请好友" };

const SUBJECT = `query Subject($slug: String!, $id: ID!, $withProduct: Boolean!) {
  shopStore(slug: $slug) { slug name tagline }
  shopProduct(storeSlug: $slug, id: $id) @include(if: $withProduct) { id title images priceRange { min { amount } } }
}`;
type Subject = {
  shopStore: { slug: string; name: string; tagline: string };
  shopProduct?: { id: string; title: string; images: string[]; priceRange: { min: { amount: number } } } | null;
};

const REFERRAL = `{ myReferral { inviteCode invitePath inviteDisabled roleText directCount teamSize qualifiedDirects neededForLeader leaderName } ruleBook { k } }`;

type Data = {
  myReferral: { inviteCode: string; invitePath: string; inviteDisabled: boolean; roleText: string; directCount: number; teamSize: number; qualifiedDirects: number; neededForLeader: number; leaderName: string | null };
  ruleBook: { k: number };
};

/** 邀请好友: the invite link and a QR poster generated locally (no third-party service). */
export default async function InvitePage({ searchParams }: { searchParams: Promise<{ s?: string; p?: string }> }) {
  const sp = await searchParams;
  await requireRole("CONSUMER", `/me/invite${sp.s ? `?s=${encodeURIComponent(sp.s)}${sp.p ? `&p=${encodeURIComponent(sp.p)}` : ""}` : ""}`);
  const d = await query<Data>(REFERRAL);
  // The poster's subject: a product of a store, a store, or just the invitation.
  const subject = sp.s ? await queryOrNull<Subject>(SUBJECT, { slug: sp.s, id: sp.p ?? "00000000-0000-0000-0000-000000000000", withProduct: !!sp.p }) : null;
  const store = subject?.shopStore ?? null;
  const product = store ? (subject?.shopProduct ?? null) : null;
  const h = await headers();
  const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host")}`;
  const params = new URLSearchParams();
  if (store) params.set("s", store.slug);
  if (product) params.set("p", product.id);
  const shareQuery = params.toString();
  const link = `${origin}${d.myReferral.invitePath}${shareQuery ? `?${shareQuery}` : ""}`;
  const qr = await QRCode.toString(`${link}${shareQuery ? "&" : "?"}ch=qr`, { type: "svg", margin: 1, width: 220 });
  const r = d.myReferral;
  return (
    <ShopShell title="邀请好友" back="/me/orders" active="orders">
      <div className="shop-body">
        <section className="card" style={{ textAlign: "center" }}>
          {r.inviteDisabled && <p className="error" role="alert">短时间内同一设备或网络注册过多，邀请码已暂停使用，平台审核后恢复。</p>}
          {product ? (
            <div className="poster-subject" data-testid="poster-product">
              {/* eslint-disable-next-line @next/next/no-img-element */}
              {product.images[0] && <img src={product.images[0]} alt="" width={96} height={96} />}
              <div style={{ textAlign: "left" }}>
                <strong>{product.title}</strong>
                <div className="price"><small>¥</small>{(product.priceRange.min.amount / 100).toFixed(2)}</div>
                <div className="muted">{store!.name}</div>
              </div>
            </div>
          ) : store ? (
            <p data-testid="poster-store"><strong>{store.name}</strong><br /><span className="muted">{store.tagline}</span></p>
          ) : null}
          <p className="muted">好友扫码或打开链接注册，即成为你邀请的好友</p>
          <div style={{ display: "inline-block", background: "#fff", padding: 8 }} dangerouslySetInnerHTML={{ __html: qr }} data-testid="invite-qr" />
          <p>邀请码 <strong data-testid="invite-code">{r.inviteCode}</strong></p>
          <p className="muted ellipsis">{link}</p>
          <CopyButton text={link} />
        </section>
        <section className="card">
          <div className="row between"><span>我的身份</span><strong>{r.roleText}</strong></div>
          <div className="row between"><span>直接邀请</span><span>{r.directCount} 人</span></div>
          <div className="row between"><span>我的团队</span><span>{r.teamSize} 人</span></div>
          {r.neededForLeader > 0 && <p className="muted">已有 {r.qualifiedDirects} 位好友完成首单结算，再有 {r.neededForLeader} 位即可成为团长（共需 {d.ruleBook.k} 位）。</p>}
          <div className="row" style={{ marginTop: 8 }}>
            <Link className="btn btn-sm" href="/me/team">我的团队</Link>
            <Link className="btn btn-sm" href="/me/earnings">我的收益</Link>
            <Link className="btn btn-sm" href="/rules">规则说明</Link>
          </div>
        </section>
        <p className="muted">收益仅来自好友真实购买并完成结算的订单，注册、邀请本身不产生任何收益。</p>
      </div>
    </ShopShell>
  );
}
