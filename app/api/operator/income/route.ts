import { currentViewer } from "@/components/server/viewer";
import { getRuntime } from "@/graphql/runtime-access";
import { Permission } from "@/graphql/core/permissions";
import { incomeCsv } from "@/graphql/referral/income.service";

/** Monthly per-person income for tax reporting (国务院令第810号), operators only. ?month=YYYY-MM */
export async function GET(request: Request) {
  const viewer = await currentViewer();
  if (!viewer?.permissions.has(Permission.PLATFORM_ADMIN)) return new Response("Not found", { status: 404 });
  const month = new URL(request.url).searchParams.get("month") ?? "";
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return new Response("month must be YYYY-MM", { status: 400 });
  const rt = await getRuntime();
  const csv = await incomeCsv(rt.services.db, month);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="lianbo-income-${month}.csv"`,
      "cache-control": "no-store",
    },
  });
}
