import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="auth-box">
      <h1>没有权限</h1>
      <p className="muted">当前账号无法访问该页面。</p>
      <Link className="btn" href="/">返回首页</Link>
    </main>
  );
}
