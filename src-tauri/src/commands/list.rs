// The app's IPC commands, declared once (not a module: `include!`d).
//
// One line per command: `module::command(argKey: ArgType, ...) -> Returns;`
// with the argument keys as the web view sends them (camelCase) and the
// types the command takes and returns (the `Ok` side; errors are always an
// `IpcError`). From this table:
// - build.rs declares the commands in the app manifest, so each needs its
//   `allow-*` permission;
// - commands/mod.rs expands `COMMAND_ARGS` (the argument keys checked before
//   every call) and the invoke handler (`tauri::generate_handler!`);
// - commands/ipc_types.rs (a test) generates `ui/src/ipc.generated.ts`:
//   every returned type's TypeScript and the `CommandMap` the UI's `api.ts`
//   calls through;
// - tests/hardening.rs checks `capabilities/default.json` and `ui/src/api.ts`
//   (invoke names and argument keys) against it.
//
// Adding a command: write it in its area's file, add its line here, its
// `allow-*` line in capabilities/default.json and its wrapper in api.ts; run
// `UPDATE_IPC_TYPES=1 cargo test -p reviewdesk-app ipc_types`.
//
// `app_commands!(then)` calls the macro `then!` with the table.
macro_rules! app_commands {
    ($then:ident) => {
        $then! {
            system::app_info() -> AppInfo;
            store::store_status() -> StoreStatus;
            store::unlock_store(passphrase: Option<String>, recoveryKey: Option<String>) -> UnlockResult;
            store::change_passphrase(current: Option<String>, recoveryKey: Option<String>, newPassphrase: String) -> ();
            store::backup_now() -> BackupResult;
            store::store_health() -> HealthResult;
            intake::cancel_import() -> ();
            intake::save_template_with_dialog(year: i32) -> Option<String>;
            letters::print_letters(numbers: Vec<String>, withSeal: bool) -> String;
            letters::export_letters_with_dialog(numbers: Vec<String>) -> Option<String>;
            letters::seal_info() -> Option<SealInfo>;
            letters::choose_seal_image() -> Option<SealInfo>;
            letters::seal_certificate_info() -> Option<SealCertificate>;
            letters::choose_seal_certificate_file() -> Option<String>;
            letters::import_seal_certificate(password: String) -> SealCertificate;
            people::current_person() -> Option<ActingPerson>;
            people::sign_in_choices() -> SignInChoices;
            people::choose_identity_file() -> Option<String>;
            people::sign_in(spec: String, password: String) -> ActingPerson;
            people::sign_out() -> ();
            people::roster_people() -> Vec<Person>;
            people::start_roster_with_dialog() -> Option<ActingPerson>;
            people::add_person_with_dialog(roles: Vec<String>) -> Option<Person>;
            people::create_test_people(password: String) -> TestBureau;
            system::audit_verify() -> AuditReport;
            intake::list_applications() -> Vec<ApplicationRow>;
            intake::show_application(submissionId: i64) -> ApplicationDetail;
            intake::load_sample_round() -> ImportReport;
            intake::import_with_dialog() -> Option<ImportReport>;
            review::explain_application(submissionId: i64) -> Review;
            review::score_round(year: i32) -> RoundScore;
            review::record_panel_score(
                creditCode: String,
                clause: String,
                project: String,
                factor: String,
                points: String
            ) -> ();
            review::propose_decision(creditCode: String) -> Decision;
            review::approve_decision(creditCode: String) -> Decision;
            review::return_decision(creditCode: String, comment: String) -> Decision;
            review::propose_change(creditCode: String, kind: String, reason: String) -> Decision;
            review::list_decisions() -> Vec<DecisionRow>;
            letters::preview_letters(creditCode: String) -> Vec<PreviewLetter>;
            guide::round_guides() -> Vec<RoundGuide>;
            guide::choose_guide_file(year: i32) -> Option<GuidePreview>;
            guide::use_chosen_guide(year: i32, hash: String) -> Vec<RoundGuide>;
            letters::preview_correction_notice(submissionId: i64) -> Vec<PreviewLetter>;
            letters::issue_letters(creditCode: String, password: String) -> Vec<LetterRow>;
            letters::issue_correction_notice(submissionId: i64, password: String) -> LetterRow;
            letters::issue_all_letters(password: String) -> usize;
            letters::cancel_issue_all() -> ();
            letters::delivery_methods() -> Vec<String>;
            letters::record_delivery(number: String, on: String, method: String) -> ();
            letters::void_letter(number: String, reason: String) -> ();
            letters::list_letters() -> Vec<LetterRow>;
            letters::open_letter(number: String) -> String;
            letters::verify_letter_with_dialog() -> Option<LetterCheck>;
            letters::verify_issued_letter(number: String) -> LetterCheck;
            overview::round_overview(year: Option<i32>) -> RoundOverview;
            overview::round_budget(year: i32) -> Option<BudgetReport>;
            overview::workbook_versions(creditCode: String) -> Versions;
            overview::compare_versions(creditCode: String, from: i64, to: i64) -> VersionDiff;
            overview::link_suggestions() -> Vec<LinkSuggestion>;
            overview::link_provisional(provisionalKey: String, creditCode: String) -> LinkOutcome;
            exchange::exchange_status(year: i32) -> ExchangeStatus;
            exchange::export_package_with_dialog(year: i32, to: Vec<String>) -> Option<PackageExport>;
            exchange::import_package_with_dialog(password: String) -> Option<PackageReport>;
            review::round_assignments(year: i32) -> Assignments;
            review::assign_applications(year: i32, creditCodes: Vec<String>, to: String, clause: Option<String>) -> Assignments;
            review::panel_comparison(year: i32) -> Comparison;
            review::application_notes(creditCode: String) -> NotesAndLabels;
            review::add_note(creditCode: String, text: String) -> NotesAndLabels;
            review::set_label(creditCode: String, label: String, remove: bool) -> NotesAndLabels;
            review::all_labels() -> HashMap<String, Vec<String>>;
            operations::round_notices(year: i32) -> Vec<NoticeSummary>;
            operations::notice_plan(year: i32, from: String) -> NoticePlan;
            operations::publish_notice(year: i32, from: String, password: String) -> PublishedNotice;
            operations::round_objections(year: i32) -> Vec<Objection>;
            operations::record_objection(
                year: i32,
                creditCode: String,
                project: Option<String>,
                by: String,
                received: String,
                text: String,
                withEvidence: bool
            ) -> bool;
            operations::resolve_objection(id: i64, outcome: String, reason: String) -> Resolution;
            operations::ledger_rows(year: i32) -> Vec<LedgerRow>;
            operations::export_ledger_with_dialog(year: i32) -> Option<Exported>;
            operations::import_ledger_with_dialog() -> Option<Taken>;
            operations::managed_lists(year: i32) -> Vec<ListSummary>;
            operations::import_list_with_dialog(year: i32, kind: String) -> Option<Imported>;
            operations::calendar_years() -> Vec<CalendarYearInfo>;
            operations::import_calendar_with_dialog() -> Option<Vec<i32>>;
            operations::clawback_cases(year: i32) -> Vec<Case>;
        }
    };
}
