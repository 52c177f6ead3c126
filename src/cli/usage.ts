export const usage = `Homeward: a companion for OpenWrt travel routers (WireGuard home + VXLAN L2 bridge + VR checks).

Usage: homeward <command> [options]

Commands:
  system [--json]              Show this computer's network: gateway, interfaces, Wi-Fi
  serve [--port N]             Serve the app to a browser on 127.0.0.1 (prints the URL to open)
  doctor --router HOST [...]   Check the path for VR streaming, segment by segment, and say what to fix
  history [show ID|export]     List, show and export past doctor runs
  discover [--json]            Find the travel router on the local network (<= 3 s, local subnets only)
  setup plan|apply|sign-in     Plan both ends, apply with automatic rollback, password sign-in
  router list|status [--json]  Remembered routers; one router's tunnel, L2 bridge and sign-in
  fix plan|apply --remedy ...  Apply a finding's fix (from doctor --json) with automatic rollback

Run "homeward <command> --help" for a command's options.

Options:
  --json                       Machine-readable output (data commands)
  -h, --help                   Show this help
  -v, --version                Show the version
`;
