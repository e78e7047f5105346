
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'cmek' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'cmek'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'cmek' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS shared-config profile (SSO profiles included)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The CMEK environment''s region')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a local emulator)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Role in the CMEK environment account to assume first')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people, json for runbooks')
            [CompletionResult]::new('--quota-scale', '--quota-scale', [CompletionResultType]::ParameterName, 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars or spinners')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Prove the customer''s key is usable for this tenant; change nothing')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Plan, confirm, then apply the key to every tenant resource')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'What each tenant resource is encrypted with, right now')
            [CompletionResult]::new('revoke-check', 'revoke-check', [CompletionResultType]::ParameterValue, 'Would (or did) disabling the key cut Speedscale off?')
            [CompletionResult]::new('evidence', 'evidence', [CompletionResultType]::ParameterValue, 'Check a signed evidence file from revoke-check --evidence (offline)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Can these credentials do what each subcommand needs? (IAM''s simulator; changes nothing)')
            [CompletionResult]::new('template', 'template', [CompletionResultType]::ParameterValue, 'Print what the customer runs to create the key: CloudFormation, Terraform, or the key policy')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff): cmek man | man -l -; `cmek man verify` prints cmek-verify(1)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cmek;verify' {
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant id: 3-32 of a-z 0-9 -, starting and ending with a letter or digit, no --')
            [CompletionResult]::new('--key-arn', '--key-arn', [CompletionResultType]::ParameterName, 'The customer''s full KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS shared-config profile (SSO profiles included)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The CMEK environment''s region')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a local emulator)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Role in the CMEK environment account to assume first')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people, json for runbooks')
            [CompletionResult]::new('--quota-scale', '--quota-scale', [CompletionResultType]::ParameterName, 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars or spinners')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cmek;enable' {
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant id: 3-32 of a-z 0-9 -, starting and ending with a letter or digit, no --')
            [CompletionResult]::new('--key-arn', '--key-arn', [CompletionResultType]::ParameterName, 'The customer''s full KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>)')
            [CompletionResult]::new('--break-lock', '--break-lock', [CompletionResultType]::ParameterName, 'Take over the tenant''s lock held by this run id (shown when a run is refused)')
            [CompletionResult]::new('--share-key-with', '--share-key-with', [CompletionResultType]::ParameterName, 'Use a key another tenant claimed: allowed only when both tenants belong to the same customer account (shown in the plan, kept in both records and the audit event)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS shared-config profile (SSO profiles included)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The CMEK environment''s region')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a local emulator)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Role in the CMEK environment account to assume first')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people, json for runbooks')
            [CompletionResult]::new('--quota-scale', '--quota-scale', [CompletionResultType]::ParameterName, 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking (required when there is no terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking (required when there is no terminal)')
            [CompletionResult]::new('--reencrypt-objects', '--reencrypt-objects', [CompletionResultType]::ParameterName, 'Also re-encrypt objects already in the tenant buckets, in place, under the key')
            [CompletionResult]::new('--batch-operations', '--batch-operations', [CompletionResultType]::ParameterName, 'With --reencrypt-objects: re-encrypt through S3 Batch Operations jobs (one per storage class, followed to their end; for buckets too large for one machine) instead of copying from here')
            [CompletionResult]::new('--migrate-database', '--migrate-database', [CompletionResultType]::ParameterName, 'Migrate a database on another key: snapshot, copy under the key, restore as <id>-cmek (the old database is left in place)')
            [CompletionResult]::new('--new-customer-account', '--new-customer-account', [CompletionResultType]::ParameterName, 'Move an onboarded tenant to a key in another customer account than its record names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars or spinners')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cmek;status' {
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant id: 3-32 of a-z 0-9 -, starting and ending with a letter or digit, no --')
            [CompletionResult]::new('--key-arn', '--key-arn', [CompletionResultType]::ParameterName, 'The key the tenant''s resources should use (default: the tenant''s record, else its tags)')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'With --all: serve tenants observed within DURATION (90s, 15m, 1h, 7d) from the registry''s snapshot and observe the rest, oldest first; the key''s state is always read live')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS shared-config profile (SSO profiles included)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The CMEK environment''s region')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a local emulator)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Role in the CMEK environment account to assume first')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people, json for runbooks')
            [CompletionResult]::new('--quota-scale', '--quota-scale', [CompletionResultType]::ParameterName, 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every onboarded tenant in the environment''s registry, one row each')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars or spinners')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cmek;revoke-check' {
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tenant id: 3-32 of a-z 0-9 -, starting and ending with a letter or digit, no --')
            [CompletionResult]::new('--key-arn', '--key-arn', [CompletionResultType]::ParameterName, 'The tenant''s key (default: the tenant''s record, else its tags)')
            [CompletionResult]::new('--scan-limit', '--scan-limit', [CompletionResultType]::ParameterName, 'Objects examined per bucket when looking for objects not under the key')
            [CompletionResult]::new('--evidence', '--evidence', [CompletionResultType]::ParameterName, 'Also write a JSON evidence record for the customer''s auditors: every probe with its AWS request id (see docs/json.md); never overwrites a file without --force')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS shared-config profile (SSO profiles included)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The CMEK environment''s region')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a local emulator)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Role in the CMEK environment account to assume first')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people, json for runbooks')
            [CompletionResult]::new('--quota-scale', '--quota-scale', [CompletionResultType]::ParameterName, 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'With --evidence: replace the file if it exists')
            [CompletionResult]::new('--watch-key', '--watch-key', [CompletionResultType]::ParameterName, 'When the key is unusable: read it every 5 s for the longest data-key reuse period of the tenant''s queues and topics (SQS''s KmsDataKeyReusePeriodSeconds, SNS''s 5 minutes), the only way to show those paths cut off')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars or spinners')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cmek;evidence' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS shared-config profile (SSO profiles included)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The CMEK environment''s region')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a local emulator)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Role in the CMEK environment account to assume first')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people, json for runbooks')
            [CompletionResult]::new('--quota-scale', '--quota-scale', [CompletionResultType]::ParameterName, 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars or spinners')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a signed evidence file (revoke-check --evidence): exit 0 if the signature matches, 1 naming what does not; no AWS call unless --online')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cmek;evidence;verify' {
            [CompletionResult]::new('--public-key', '--public-key', [CompletionResultType]::ParameterName, 'The signing key''s public key (PEM, as `aws kms get-public-key` gives it once decoded), to check the file against a key you obtained yourself rather than the one the file carries')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS shared-config profile (SSO profiles included)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The CMEK environment''s region')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a local emulator)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Role in the CMEK environment account to assume first')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people, json for runbooks')
            [CompletionResult]::new('--quota-scale', '--quota-scale', [CompletionResultType]::ParameterName, 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)')
            [CompletionResult]::new('--online', '--online', [CompletionResultType]::ParameterName, 'Also ask KMS (kms:Verify with the key the file names): needs credentials for Speedscale''s account')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars or spinners')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cmek;evidence;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a signed evidence file (revoke-check --evidence): exit 0 if the signature matches, 1 naming what does not; no AWS call unless --online')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cmek;evidence;help;verify' {
            break
        }
        'cmek;evidence;help;help' {
            break
        }
        'cmek;doctor' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS shared-config profile (SSO profiles included)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The CMEK environment''s region')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a local emulator)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Role in the CMEK environment account to assume first')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people, json for runbooks')
            [CompletionResult]::new('--quota-scale', '--quota-scale', [CompletionResultType]::ParameterName, 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars or spinners')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cmek;template' {
            [CompletionResult]::new('--vendor-account', '--vendor-account', [CompletionResultType]::ParameterName, 'Speedscale''s AWS account id (12 digits): the account the key policy lets use the key')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Scope the key policy to this tenant (its buckets and encryption context in the environment, --config): Speedscale may then use the key only for that tenant where AWS documents a condition to say so')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'With --format terraform: write main.tf, variables.tf and outputs.tf into DIR (created if missing; an existing file is never overwritten)')
            [CompletionResult]::new('--customer-account', '--customer-account', [CompletionResultType]::ParameterName, 'With --format policy: the customer''s AWS account id (12 digits), where the key is')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS shared-config profile (SSO profiles included)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The CMEK environment''s region')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a local emulator)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Role in the CMEK environment account to assume first')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people, json for runbooks')
            [CompletionResult]::new('--quota-scale', '--quota-scale', [CompletionResultType]::ParameterName, 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars or spinners')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cmek;man' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS shared-config profile (SSO profiles included)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The CMEK environment''s region')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a local emulator)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Role in the CMEK environment account to assume first')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people, json for runbooks')
            [CompletionResult]::new('--quota-scale', '--quota-scale', [CompletionResultType]::ParameterName, 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars or spinners')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cmek;completions' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS shared-config profile (SSO profiles included)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The CMEK environment''s region')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a local emulator)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Role in the CMEK environment account to assume first')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table for people, json for runbooks')
            [CompletionResult]::new('--quota-scale', '--quota-scale', [CompletionResultType]::ParameterName, 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr: only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars or spinners')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cmek;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Prove the customer''s key is usable for this tenant; change nothing')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Plan, confirm, then apply the key to every tenant resource')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'What each tenant resource is encrypted with, right now')
            [CompletionResult]::new('revoke-check', 'revoke-check', [CompletionResultType]::ParameterValue, 'Would (or did) disabling the key cut Speedscale off?')
            [CompletionResult]::new('evidence', 'evidence', [CompletionResultType]::ParameterValue, 'Check a signed evidence file from revoke-check --evidence (offline)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Can these credentials do what each subcommand needs? (IAM''s simulator; changes nothing)')
            [CompletionResult]::new('template', 'template', [CompletionResultType]::ParameterValue, 'Print what the customer runs to create the key: CloudFormation, Terraform, or the key policy')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff): cmek man | man -l -; `cmek man verify` prints cmek-verify(1)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cmek;help;verify' {
            break
        }
        'cmek;help;enable' {
            break
        }
        'cmek;help;status' {
            break
        }
        'cmek;help;revoke-check' {
            break
        }
        'cmek;help;evidence' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a signed evidence file (revoke-check --evidence): exit 0 if the signature matches, 1 naming what does not; no AWS call unless --online')
            break
        }
        'cmek;help;evidence;verify' {
            break
        }
        'cmek;help;doctor' {
            break
        }
        'cmek;help;template' {
            break
        }
        'cmek;help;man' {
            break
        }
        'cmek;help;completions' {
            break
        }
        'cmek;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
