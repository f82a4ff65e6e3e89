import { redirect } from "next/navigation";
import { currentViewer } from "@/components/server/viewer";

/** Sends a signed-in staff member to their workspace. */
export default async function PortalRedirect() {
  const viewer = await currentViewer();
  if (!viewer) redirect("/staff/login");
  if (viewer.roles.includes("OPERATOR")) redirect("/operator");
  if (viewer.roles.includes("SUPPLIER")) redirect("/supplier");
  if (viewer.roles.includes("MERCHANT")) redirect("/merchant");
  redirect("/me/orders");
}
