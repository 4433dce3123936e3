fn main() {
    // Declaring the app's commands makes each one need an explicit permission,
    // so capabilities/default.json is the complete list of what the web view
    // may call.
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "app_info",
            "store_status",
            "unlock_store",
            "change_passphrase",
            "backup_now",
            "store_health",
            "list_applications",
            "show_application",
            "load_sample_round",
            "import_with_dialog",
            "audit_verify",
            "explain_application",
            "score_round",
            "record_panel_score",
            "propose_decision",
            "approve_decision",
            "return_decision",
            "list_decisions",
            "certificate_info",
            "choose_certificate_file",
            "import_certificate",
            "create_test_certificate",
            "preview_letters",
            "issue_letters",
            "issue_correction_notice",
            "issue_all_letters",
            "cancel_issue_all",
            "delivery_methods",
            "record_delivery",
            "void_letter",
            "list_letters",
            "open_letter",
            "verify_letter_with_dialog",
            "verify_issued_letter",
        ]),
    ))
    .expect("failed to run tauri-build");
}
