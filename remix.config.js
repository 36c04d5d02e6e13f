// The one place for Remix options. vite.config.ts imports this object and
// hands it to the Remix Vite plugin (see docs/decisions/0001-remix-on-vite.md).

/** @type {import("@remix-run/dev").VitePluginConfig} */
export default {
  appDirectory: "app",
  buildDirectory: "build",
  serverModuleFormat: "esm",
  // Route modules live in app/routes; helpers beside a route are not routes.
  ignoredRouteFiles: ["**/*.test.*", "**/*.server.ts", "**/components/**"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
