import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { queryOrNull } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { notFound } from "next/navigation";
import { ProductTextsForm } from "./product-texts-form";

export const metadata = { title: "编辑商品" };

const PRODUCT = `query($id: ID!) { supplierProduct(id: $id) { id title description category } }`;

/** Edit one of my products' title, description and category (checked against the Advertising Law when saved). */
export default async function EditProductPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await requireRole("SUPPLIER", `/supplier/products/${id}/edit`);
  const d = await queryOrNull<{ supplierProduct: { id: string; title: string; description: string; category: string } }>(PRODUCT, { id });
  if (!d?.supplierProduct) notFound();
  return (
    <PortalShell kind="supplier" title="编辑商品" who={viewer.nickname} actions={<Link className="btn btn-sm" href="/supplier/products">返回商品管理</Link>}>
      <ProductTextsForm product={d.supplierProduct} />
    </PortalShell>
  );
}
