import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // node-postgres and Prisma's adapter run as plain Node modules on the server, not bundled.
  serverExternalPackages: ["pg", "@prisma/adapter-pg"],
  poweredByHeader: false,
  experimental: {
    // The forms' server actions carry an address or a token: refuse bigger bodies (default 1 MB).
    serverActions: { bodySizeLimit: "16kb" },
  },
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

export default nextConfig;
