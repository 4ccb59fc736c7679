fn main() {
    // The built front end is embedded by generate_context!(): rebuild when it changes.
    println!("cargo:rerun-if-changed=ui/dist");
    tauri_build::build();
}
