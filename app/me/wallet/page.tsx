import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { Price, ShopShell } from "@/components/shop-shell";
import { formatTime } from "@/components/format";
import { SharerForm, WithdrawForm } from "./wallet-forms";

export const metadata = { title: "提现" };

const WALLET = `{
  myReferral { role roleText frozen }
  promoterAgreement { version title clauses }
  myWallet { available { amount } pending { amount } withdrawn { amount } inFlight { amount } chainVerified
    entries(first: 20) { nodes { id seq title amount { amount } createdAt hash } } }
  myWithdrawals(first: 10) { nodes { id amount { amount } fee { amount } statusText payoutNo payeeAccount note createdAt } }
}`;

type M = { amount: number };
type Data = {
  myReferral: { role: string; roleText: string; frozen: boolean };
  promoterAgreement: { version: string; title: string; clauses: string[] };
  myWallet: { available: M; pending: M; withdrawn: M; inFlight: M; chainVerified: boolean; entries: { nodes: { id: string; seq: number; title: string; amount: M; createdAt: string; hash: string }[] } };
  myWithdrawals: { nodes: { id: string; amount: M; fee: M; statusText: string; payoutNo: string; payeeAccount: string; note: string | null; createdAt: string }[] };
};

export default async function WalletPage() {
  await requireRole("CONSUMER", "/me/wallet");
  const d = await query<Data>(WALLET);
  const w = d.myWallet;
  return (
    <ShopShell title="提现" back="/me/earnings" active="orders">
      <div className="shop-body">
        <section className="card" style={{ textAlign: "center" }}>
          <div className="muted">可提现</div>
          <div style={{ fontSize: 28 }}><Price fen={w.available.amount} /></div>
          <div className="muted">待结算 ¥{(w.pending.amount / 100).toFixed(2)} · 提现中 ¥{(w.inFlight.amount / 100).toFixed(2)} · 已提现 ¥{(w.withdrawn.amount / 100).toFixed(2)}</div>
          <p className={w.chainVerified ? "success" : "error"} data-testid="chain-verified">{w.chainVerified ? "账本校验通过：每一笔记录都未被改动" : "账本校验未通过，请联系客服"}</p>
        </section>
        {d.myReferral.frozen && <p className="error" role="alert">账户正在接受风控审核：审核期间收益暂不结算、不可提现。</p>}
        {d.myReferral.role === "REGISTERED" ? <SharerForm agreement={d.promoterAgreement} /> : <WithdrawForm available={w.available.amount} />}
        <section className="card">
          <h3>提现记录</h3>
          {d.myWithdrawals.nodes.length === 0 && <p className="muted">暂无</p>}
          {d.myWithdrawals.nodes.map((x) => (
            <div key={x.id} className="line-item" style={{ display: "block" }}>
              <div className="row between"><span>¥{(x.amount.amount / 100).toFixed(2)}（手续费 ¥{(x.fee.amount / 100).toFixed(2)}）→ {x.payeeAccount}</span><span className="tag">{x.statusText}</span></div>
              <div className="muted">{formatTime(x.createdAt)} · 单号 {x.payoutNo}{x.note ? ` · ${x.note}` : ""}</div>
            </div>
          ))}
        </section>
        <section className="card">
          <h3>账本明细</h3>
          {w.entries.nodes.map((e) => (
            <div key={e.id} className="row between" style={{ padding: "6px 0" }}>
              <span>#{e.seq} {e.title}<div className="muted">{formatTime(e.createdAt)} · {e.hash.slice(0, 12)}…</div></span>
              <Price fen={e.amount.amount} />
            </div>
          ))}
          <Link className="btn btn-sm" href="/me/earnings">收益明细</Link>
        </section>
      </div>
    </ShopShell>
  );
}
