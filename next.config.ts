import type { NextConfig } from "next";
import { SECURITY_HEADERS } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // node-postgres and Prisma's adapter run as plain Node modules on the server, not bundled. So does
  // the rate limiter: the web server's own code (the search API) and Next's routes share its
  // limiters, and with it external they load one copy of it.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "rate-limiter-flexible"],
  poweredByHeader: false,
  experimental: {
    // The forms' server actions carry an address or a token: refuse bigger bodies (default 1 MB).
    serverActions: { bodySizeLimit: "16kb" },
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [...SECURITY_HEADERS],
      },
    ];
  },
};

export default nextConfig;
