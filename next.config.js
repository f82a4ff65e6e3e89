// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // Minified class names would become GraphQL type names (stack.md trap 1).
  experimental: { serverMinification: false },
  // Native/embedded packages and the GraphQL runtime are loaded from node_modules once per process.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "postgres",
    "drizzle-orm",
    "graphql",
    "type-graphql",
    "graphql-scalars",
    "class-validator",
    "@apollo/server",
    "dataloader",
  ],
  // Tests, e2e and scripts are type-checked by `npm test` (tsc), not by the app build.
  typescript: { tsconfigPath: "./tsconfig.next.json" },
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};
module.exports = nextConfig;
