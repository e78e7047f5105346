
use builtin;
use str;

set edit:completion:arg-completer[cmek] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'cmek'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'cmek'= {
            cand --profile 'AWS shared-config profile (SSO profiles included)'
            cand --region 'The CMEK environment''s region'
            cand --endpoint-url 'Send every AWS call to this endpoint (a local emulator)'
            cand --role-arn 'Role in the CMEK environment account to assume first'
            cand --config 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment'
            cand --output 'Output format: table for people, json for runbooks'
            cand --quota-scale 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)'
            cand -q 'Less output on stderr: only errors'
            cand --quiet 'Less output on stderr: only errors'
            cand -v 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --verbose 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --no-progress 'No progress bars or spinners'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand verify 'Prove the customer''s key is usable for this tenant; change nothing'
            cand enable 'Plan, confirm, then apply the key to every tenant resource'
            cand status 'What each tenant resource is encrypted with, right now'
            cand revoke-check 'Would (or did) disabling the key cut Speedscale off?'
            cand evidence 'Check a signed evidence file from revoke-check --evidence (offline)'
            cand doctor 'Can these credentials do what each subcommand needs? (IAM''s simulator; changes nothing)'
            cand template 'Print what the customer runs to create the key: CloudFormation, Terraform, or the key policy'
            cand man 'Print the man page (roff): cmek man | man -l -; `cmek man verify` prints cmek-verify(1)'
            cand completions 'Print shell completions (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cmek;verify'= {
            cand --tenant 'Tenant id: 3-32 of a-z 0-9 -, starting and ending with a letter or digit, no --'
            cand --key-arn 'The customer''s full KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>)'
            cand --profile 'AWS shared-config profile (SSO profiles included)'
            cand --region 'The CMEK environment''s region'
            cand --endpoint-url 'Send every AWS call to this endpoint (a local emulator)'
            cand --role-arn 'Role in the CMEK environment account to assume first'
            cand --config 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment'
            cand --output 'Output format: table for people, json for runbooks'
            cand --quota-scale 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)'
            cand -q 'Less output on stderr: only errors'
            cand --quiet 'Less output on stderr: only errors'
            cand -v 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --verbose 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --no-progress 'No progress bars or spinners'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cmek;enable'= {
            cand --tenant 'Tenant id: 3-32 of a-z 0-9 -, starting and ending with a letter or digit, no --'
            cand --key-arn 'The customer''s full KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>)'
            cand --break-lock 'Take over the tenant''s lock held by this run id (shown when a run is refused)'
            cand --share-key-with 'Use a key another tenant claimed: allowed only when both tenants belong to the same customer account (shown in the plan, kept in both records and the audit event)'
            cand --profile 'AWS shared-config profile (SSO profiles included)'
            cand --region 'The CMEK environment''s region'
            cand --endpoint-url 'Send every AWS call to this endpoint (a local emulator)'
            cand --role-arn 'Role in the CMEK environment account to assume first'
            cand --config 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment'
            cand --output 'Output format: table for people, json for runbooks'
            cand --quota-scale 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)'
            cand --dry-run 'Print the plan and change nothing'
            cand -y 'Apply without asking (required when there is no terminal)'
            cand --yes 'Apply without asking (required when there is no terminal)'
            cand --reencrypt-objects 'Also re-encrypt objects already in the tenant buckets, in place, under the key'
            cand --batch-operations 'With --reencrypt-objects: re-encrypt through S3 Batch Operations jobs (one per storage class, followed to their end; for buckets too large for one machine) instead of copying from here'
            cand --migrate-database 'Migrate a database on another key: snapshot, copy under the key, restore as <id>-cmek (the old database is left in place)'
            cand --new-customer-account 'Move an onboarded tenant to a key in another customer account than its record names'
            cand -q 'Less output on stderr: only errors'
            cand --quiet 'Less output on stderr: only errors'
            cand -v 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --verbose 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --no-progress 'No progress bars or spinners'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cmek;status'= {
            cand --tenant 'Tenant id: 3-32 of a-z 0-9 -, starting and ending with a letter or digit, no --'
            cand --key-arn 'The key the tenant''s resources should use (default: the tenant''s record, else its tags)'
            cand --max-age 'With --all: serve tenants observed within DURATION (90s, 15m, 1h, 7d) from the registry''s snapshot and observe the rest, oldest first; the key''s state is always read live'
            cand --profile 'AWS shared-config profile (SSO profiles included)'
            cand --region 'The CMEK environment''s region'
            cand --endpoint-url 'Send every AWS call to this endpoint (a local emulator)'
            cand --role-arn 'Role in the CMEK environment account to assume first'
            cand --config 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment'
            cand --output 'Output format: table for people, json for runbooks'
            cand --quota-scale 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)'
            cand --all 'Every onboarded tenant in the environment''s registry, one row each'
            cand -q 'Less output on stderr: only errors'
            cand --quiet 'Less output on stderr: only errors'
            cand -v 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --verbose 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --no-progress 'No progress bars or spinners'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cmek;revoke-check'= {
            cand --tenant 'Tenant id: 3-32 of a-z 0-9 -, starting and ending with a letter or digit, no --'
            cand --key-arn 'The tenant''s key (default: the tenant''s record, else its tags)'
            cand --scan-limit 'Objects examined per bucket when looking for objects not under the key'
            cand --evidence 'Also write a JSON evidence record for the customer''s auditors: every probe with its AWS request id (see docs/json.md); never overwrites a file without --force'
            cand --profile 'AWS shared-config profile (SSO profiles included)'
            cand --region 'The CMEK environment''s region'
            cand --endpoint-url 'Send every AWS call to this endpoint (a local emulator)'
            cand --role-arn 'Role in the CMEK environment account to assume first'
            cand --config 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment'
            cand --output 'Output format: table for people, json for runbooks'
            cand --quota-scale 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)'
            cand --force 'With --evidence: replace the file if it exists'
            cand --watch-key 'When the key is unusable: read it every 5 s for the longest data-key reuse period of the tenant''s queues and topics (SQS''s KmsDataKeyReusePeriodSeconds, SNS''s 5 minutes), the only way to show those paths cut off'
            cand -q 'Less output on stderr: only errors'
            cand --quiet 'Less output on stderr: only errors'
            cand -v 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --verbose 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --no-progress 'No progress bars or spinners'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cmek;evidence'= {
            cand --profile 'AWS shared-config profile (SSO profiles included)'
            cand --region 'The CMEK environment''s region'
            cand --endpoint-url 'Send every AWS call to this endpoint (a local emulator)'
            cand --role-arn 'Role in the CMEK environment account to assume first'
            cand --config 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment'
            cand --output 'Output format: table for people, json for runbooks'
            cand --quota-scale 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)'
            cand -q 'Less output on stderr: only errors'
            cand --quiet 'Less output on stderr: only errors'
            cand -v 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --verbose 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --no-progress 'No progress bars or spinners'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand verify 'Check a signed evidence file (revoke-check --evidence): exit 0 if the signature matches, 1 naming what does not; no AWS call unless --online'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cmek;evidence;verify'= {
            cand --public-key 'The signing key''s public key (PEM, as `aws kms get-public-key` gives it once decoded), to check the file against a key you obtained yourself rather than the one the file carries'
            cand --profile 'AWS shared-config profile (SSO profiles included)'
            cand --region 'The CMEK environment''s region'
            cand --endpoint-url 'Send every AWS call to this endpoint (a local emulator)'
            cand --role-arn 'Role in the CMEK environment account to assume first'
            cand --config 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment'
            cand --output 'Output format: table for people, json for runbooks'
            cand --quota-scale 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)'
            cand --online 'Also ask KMS (kms:Verify with the key the file names): needs credentials for Speedscale''s account'
            cand -q 'Less output on stderr: only errors'
            cand --quiet 'Less output on stderr: only errors'
            cand -v 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --verbose 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --no-progress 'No progress bars or spinners'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cmek;evidence;help'= {
            cand verify 'Check a signed evidence file (revoke-check --evidence): exit 0 if the signature matches, 1 naming what does not; no AWS call unless --online'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cmek;evidence;help;verify'= {
        }
        &'cmek;evidence;help;help'= {
        }
        &'cmek;doctor'= {
            cand --profile 'AWS shared-config profile (SSO profiles included)'
            cand --region 'The CMEK environment''s region'
            cand --endpoint-url 'Send every AWS call to this endpoint (a local emulator)'
            cand --role-arn 'Role in the CMEK environment account to assume first'
            cand --config 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment'
            cand --output 'Output format: table for people, json for runbooks'
            cand --quota-scale 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)'
            cand -q 'Less output on stderr: only errors'
            cand --quiet 'Less output on stderr: only errors'
            cand -v 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --verbose 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --no-progress 'No progress bars or spinners'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cmek;template'= {
            cand --vendor-account 'Speedscale''s AWS account id (12 digits): the account the key policy lets use the key'
            cand --tenant 'Scope the key policy to this tenant (its buckets and encryption context in the environment, --config): Speedscale may then use the key only for that tenant where AWS documents a condition to say so'
            cand --format 'Output format'
            cand --out 'With --format terraform: write main.tf, variables.tf and outputs.tf into DIR (created if missing; an existing file is never overwritten)'
            cand --customer-account 'With --format policy: the customer''s AWS account id (12 digits), where the key is'
            cand --profile 'AWS shared-config profile (SSO profiles included)'
            cand --region 'The CMEK environment''s region'
            cand --endpoint-url 'Send every AWS call to this endpoint (a local emulator)'
            cand --role-arn 'Role in the CMEK environment account to assume first'
            cand --config 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment'
            cand --output 'Output format: table for people, json for runbooks'
            cand --quota-scale 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)'
            cand -q 'Less output on stderr: only errors'
            cand --quiet 'Less output on stderr: only errors'
            cand -v 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --verbose 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --no-progress 'No progress bars or spinners'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cmek;man'= {
            cand --profile 'AWS shared-config profile (SSO profiles included)'
            cand --region 'The CMEK environment''s region'
            cand --endpoint-url 'Send every AWS call to this endpoint (a local emulator)'
            cand --role-arn 'Role in the CMEK environment account to assume first'
            cand --config 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment'
            cand --output 'Output format: table for people, json for runbooks'
            cand --quota-scale 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)'
            cand -q 'Less output on stderr: only errors'
            cand --quiet 'Less output on stderr: only errors'
            cand -v 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --verbose 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --no-progress 'No progress bars or spinners'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cmek;completions'= {
            cand --profile 'AWS shared-config profile (SSO profiles included)'
            cand --region 'The CMEK environment''s region'
            cand --endpoint-url 'Send every AWS call to this endpoint (a local emulator)'
            cand --role-arn 'Role in the CMEK environment account to assume first'
            cand --config 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment'
            cand --output 'Output format: table for people, json for runbooks'
            cand --quota-scale 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)'
            cand -q 'Less output on stderr: only errors'
            cand --quiet 'Less output on stderr: only errors'
            cand -v 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --verbose 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
            cand --no-progress 'No progress bars or spinners'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cmek;help'= {
            cand verify 'Prove the customer''s key is usable for this tenant; change nothing'
            cand enable 'Plan, confirm, then apply the key to every tenant resource'
            cand status 'What each tenant resource is encrypted with, right now'
            cand revoke-check 'Would (or did) disabling the key cut Speedscale off?'
            cand evidence 'Check a signed evidence file from revoke-check --evidence (offline)'
            cand doctor 'Can these credentials do what each subcommand needs? (IAM''s simulator; changes nothing)'
            cand template 'Print what the customer runs to create the key: CloudFormation, Terraform, or the key policy'
            cand man 'Print the man page (roff): cmek man | man -l -; `cmek man verify` prints cmek-verify(1)'
            cand completions 'Print shell completions (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cmek;help;verify'= {
        }
        &'cmek;help;enable'= {
        }
        &'cmek;help;status'= {
        }
        &'cmek;help;revoke-check'= {
        }
        &'cmek;help;evidence'= {
            cand verify 'Check a signed evidence file (revoke-check --evidence): exit 0 if the signature matches, 1 naming what does not; no AWS call unless --online'
        }
        &'cmek;help;evidence;verify'= {
        }
        &'cmek;help;doctor'= {
        }
        &'cmek;help;template'= {
        }
        &'cmek;help;man'= {
        }
        &'cmek;help;completions'= {
        }
        &'cmek;help;help'= {
        }
    ]
    $completions[$command]
}
