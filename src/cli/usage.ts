export const usage = `Homeward: a companion for OpenWrt travel routers (WireGuard home + VXLAN L2 bridge + VR checks).

Usage: homeward <command> [options]

Commands:
  system [--json]              Show this computer's network: gateway, interfaces, Wi-Fi
  serve [--port N]             Serve the app to a browser on 127.0.0.1 (prints the URL to open)
  doctor                       Check the path for VR streaming (not available yet)
  setup                        Plan and apply router setup with rollback (not available yet)
  history                      List past runs (not available yet)

Options:
  --json                       Machine-readable output (data commands)
  -h, --help                   Show this help
  -v, --version                Show the version
`;
