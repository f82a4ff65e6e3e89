import { requireRole } from "@/components/server/viewer";
import { PortalShell } from "@/components/portal-shell";
import { ProductForm } from "./product-form";

export const metadata = { title: "发布商品" };

export default async function NewProductPage() {
  const viewer = await requireRole("SUPPLIER", "/supplier/products/new");
  return (
    <PortalShell kind="supplier" title="发布商品" who={viewer.nickname}>
      <ProductForm />
    </PortalShell>
  );
}
