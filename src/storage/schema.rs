//! The diesel schema, one for both backends (see `migrations/{sqlite,postgres}`). Timestamps are
//! UTC `TIMESTAMP`, ids and enums `TEXT`, lists JSON text.
#![expect(missing_docs, reason = "diesel's table! macro generates the column items")]

diesel::table! {
    clients (id) {
        id -> Text,
        slug -> Text,
        name -> Text,
        dpo_email -> Text,
        dpo_name -> Nullable<Text>,
        escalation_emails -> Text,
        locale -> Text,
        policy -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
        profile -> Nullable<Text>,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        name -> Nullable<Text>,
        role -> Text,
        client_id -> Nullable<Text>,
        password_hash -> Nullable<Text>,
        locale -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        label -> Nullable<Text>,
        prefix -> Text,
        digest -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id_digest) {
        id_digest -> Text,
        user_id -> Text,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    incidents (id) {
        id -> Text,
        client_id -> Text,
        reference -> Text,
        ref_year -> Integer,
        ref_number -> Integer,
        state -> Text,
        version -> BigInt,
        title -> Text,
        summary -> Text,
        discovered_at -> Timestamp,
        discovery_method -> Nullable<Text>,
        occurred_from -> Nullable<Timestamp>,
        occurred_until -> Nullable<Timestamp>,
        ongoing -> Bool,
        incident_kind -> Nullable<Text>,
        nature -> Text,
        data_categories -> Text,
        special_categories -> Text,
        records_approx -> Nullable<BigInt>,
        subject_groups -> Text,
        subjects_min -> Nullable<BigInt>,
        subjects_max -> Nullable<BigInt>,
        encryption -> Nullable<Text>,
        consequences -> Nullable<Text>,
        measures_taken -> Nullable<Text>,
        measures_planned -> Nullable<Text>,
        cross_border_states -> Text,
        other_organisations -> Nullable<Text>,
        reported_at -> Timestamp,
        reported_by -> Text,
        processor_aware_at -> Nullable<Timestamp>,
        controller_aware_at -> Nullable<Timestamp>,
        awareness_justification -> Nullable<Text>,
        acknowledged_at -> Nullable<Timestamp>,
        acknowledged_by -> Nullable<Text>,
        assessment -> Nullable<Text>,
        dismiss_reason -> Nullable<Text>,
        not_notifiable_justification -> Nullable<Text>,
        ap_notified_at -> Nullable<Timestamp>,
        ap_reference -> Nullable<Text>,
        preliminary -> Nullable<Bool>,
        delay_reason -> Nullable<Text>,
        supplements -> Text,
        notified_snapshot -> Nullable<Text>,
        withdrawn_at -> Nullable<Timestamp>,
        withdraw_reason -> Nullable<Text>,
        subjects_decision -> Text,
        subjects_informed_at -> Nullable<Timestamp>,
        subjects_channel -> Nullable<Text>,
        subjects_count -> Nullable<BigInt>,
        subjects_ground -> Nullable<Text>,
        subjects_explanation -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
        close_summary -> Nullable<Text>,
        purged_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
        other_supervisors -> Nullable<Text>,
    }
}

diesel::table! {
    idempotency_keys (user_id, idem_key) {
        user_id -> Text,
        idem_key -> Text,
        request_digest -> Text,
        incident_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    alerts (id) {
        id -> Text,
        incident_id -> Text,
        code -> Text,
        generation -> Integer,
        repeat_no -> Integer,
        due_at -> Timestamp,
        status -> Text,
        audience -> Text,
        recipients -> Text,
        fired_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        incident_id -> Nullable<Text>,
        alert_id -> Nullable<Text>,
        kind -> Text,
        locale -> Text,
        to_addr -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Nullable<Text>,
        message_id -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_owner -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        server_reply -> Nullable<Text>,
        sent_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        last_code -> Nullable<Integer>,
        channel -> Text,
    }
}

diesel::table! {
    ack_tokens (id) {
        id -> Text,
        incident_id -> Text,
        client_id -> Text,
        dpo_email -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> Text,
        bucket -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    audit_events (chain, seq) {
        chain -> Text,
        seq -> BigInt,
        at -> Timestamp,
        actor -> Text,
        client_id -> Nullable<Text>,
        incident_id -> Nullable<Text>,
        event_type -> Text,
        detail -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    audit_heads (chain) {
        chain -> Text,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    audit_checkpoints (chain) {
        chain -> Text,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    instance_secrets (name) {
        name -> Text,
        value -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    password_resets (token_digest) {
        token_digest -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    calendar_feeds (token_digest) {
        token_digest -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    alert_channels (id) {
        id -> Text,
        client_id -> Nullable<Text>,
        kind -> Text,
        url -> Text,
        secret -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
        created_by -> Text,
        removed_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(users -> clients (client_id));
diesel::joinable!(alert_channels -> clients (client_id));
diesel::joinable!(calendar_feeds -> users (user_id));
diesel::joinable!(password_resets -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(incidents -> clients (client_id));
diesel::joinable!(incidents -> users (reported_by));
diesel::joinable!(alerts -> incidents (incident_id));
diesel::joinable!(outbox -> alerts (alert_id));
diesel::joinable!(ack_tokens -> incidents (incident_id));

diesel::allow_tables_to_appear_in_same_query!(
    clients,
    users,
    api_tokens,
    sessions,
    incidents,
    idempotency_keys,
    alerts,
    outbox,
    ack_tokens,
    login_attempts,
    audit_events,
    audit_heads,
    audit_checkpoints,
    instance_secrets,
    password_resets,
    calendar_feeds,
    alert_channels,
);
