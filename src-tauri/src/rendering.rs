//! How WebKitGTK paints the window: on the CPU unless the person asks for the GPU. Since 2.46 WebKit
//! paints with Skia on the GPU by default; on a machine without one (Mesa's software GL: VMs, remote
//! desktops, many laptops' fallback) every new kind of drawing first compiles its GL shaders on the CPU,
//! which made the start to the dashboard 1.4× the start to the empty screen, where the same start
//! painted on the CPU is 1.2× and faster in both (docs/benchmarks.md, 2026-12-04). Tributary's window is
//! cards, lists and one small chart: the CPU paints it in parallel tiles without that set-up.

/// WebKit's own switch; set by the person, it is left as it is.
const CPU_RENDERING: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";
/// `TRIBUTARY_GPU_RENDERING=1` keeps WebKit's default, painting on the GPU.
const GPU_RENDERING: &str = "TRIBUTARY_GPU_RENDERING";

/// Must run first in `main`, before any thread starts: it sets the environment the web process
/// inherits.
pub fn choose() {
    if !cfg!(target_os = "linux") || std::env::var_os(CPU_RENDERING).is_some() {
        return;
    }
    if std::env::var(GPU_RENDERING).is_ok_and(|v| v == "1") {
        return;
    }
    std::env::set_var(CPU_RENDERING, "1");
}
