//! Rebuild when migrations, templates or assets change: `embed_migrations!` and askama
//! cannot see new files by themselves.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=assets");
}
