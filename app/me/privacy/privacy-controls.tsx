"use client";

import { useState } from "react";
import { gqlFetch, mutate } from "@/components/client/gql";
import { signOutAction } from "@/app/login/actions";

/** Export (download), the recommendations switch and account deletion — the person's PIPL rights. */
export function PrivacyControls({ personalized }: { personalized: boolean }) {
  const [on, setOn] = useState(personalized);
  const [error, setError] = useState<string | null>(null);

  async function toggle() {
    const { errors } = await gqlFetch(`mutation($e: Boolean!) { setPersonalizedRecommendations(enabled: $e) { personalizedRecommendations } }`, { e: !on });
    if (errors.length) return setError(errors[0].message);
    setOn(!on);
  }

  async function download() {
    const { data, errors } = await gqlFetch<{ myDataExport: string }>(`{ myDataExport }`);
    if (errors.length || !data) return setError(errors[0]?.message ?? "导出失败");
    const url = URL.createObjectURL(new Blob([data.myDataExport], { type: "application/json" }));
    const a = Object.assign(document.createElement("a"), { href: url, download: "lianbo-my-data.json" });
    a.click();
    URL.revokeObjectURL(url);
  }

  async function remove() {
    if (!confirm("注销后账号无法恢复，订单记录将匿名保留。确定注销吗？")) return;
    const result = await mutate(`mutation { deleteMyAccount { ok errors { code message field } } }`, {}, "deleteMyAccount");
    if (!result.ok) return setError(result.message);
    await signOutAction();
  }

  return (
    <>
      <section className="card row between">
        <div>
          <div>个性化推荐</div>
          <div className="muted">关闭后，我们不再根据你的浏览与购买记录推荐商品</div>
        </div>
        <button className={`btn btn-sm ${on ? "btn-primary" : ""}`} onClick={toggle} aria-pressed={on}>{on ? "已开启" : "已关闭"}</button>
      </section>
      <section className="card row between">
        <div>
          <div>导出我的数据</div>
          <div className="muted">包含账号、地址与订单信息（JSON）</div>
        </div>
        <button className="btn btn-sm" onClick={download}>导出</button>
      </section>
      <section className="card row between">
        <div>
          <div>注销账号</div>
          <div className="muted">需先完成或取消所有进行中的订单</div>
        </div>
        <button className="btn btn-sm" onClick={remove}>注销</button>
      </section>
      {error && <p className="error" role="alert">{error}</p>}
    </>
  );
}
