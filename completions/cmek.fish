# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_cmek_global_optspecs
    string join \n profile= region= endpoint-url= role-arn= config= output= q/quiet v/verbose no-progress quota-scale= h/help V/version
end

function __fish_cmek_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_cmek_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_cmek_using_subcommand
    set -l cmd (__fish_cmek_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c cmek -n "__fish_cmek_needs_command" -l profile -d 'AWS shared-config profile (SSO profiles included)' -r
complete -c cmek -n "__fish_cmek_needs_command" -l region -d 'The CMEK environment\'s region' -r
complete -c cmek -n "__fish_cmek_needs_command" -l endpoint-url -d 'Send every AWS call to this endpoint (a local emulator)' -r
complete -c cmek -n "__fish_cmek_needs_command" -l role-arn -d 'Role in the CMEK environment account to assume first' -r
complete -c cmek -n "__fish_cmek_needs_command" -l config -d 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment' -r -F
complete -c cmek -n "__fish_cmek_needs_command" -l output -d 'Output format: table for people, json for runbooks' -r -f -a "table\t'A table for people'
json\t'Exactly one JSON object on stdout, for runbooks'"
complete -c cmek -n "__fish_cmek_needs_command" -l quota-scale -d 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)' -r
complete -c cmek -n "__fish_cmek_needs_command" -s q -l quiet -d 'Less output on stderr: only errors'
complete -c cmek -n "__fish_cmek_needs_command" -s v -l verbose -d 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
complete -c cmek -n "__fish_cmek_needs_command" -l no-progress -d 'No progress bars or spinners'
complete -c cmek -n "__fish_cmek_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cmek -n "__fish_cmek_needs_command" -s V -l version -d 'Print version'
complete -c cmek -n "__fish_cmek_needs_command" -f -a "verify" -d 'Prove the customer\'s key is usable for this tenant; change nothing'
complete -c cmek -n "__fish_cmek_needs_command" -f -a "enable" -d 'Plan, confirm, then apply the key to every tenant resource'
complete -c cmek -n "__fish_cmek_needs_command" -f -a "status" -d 'What each tenant resource is encrypted with, right now'
complete -c cmek -n "__fish_cmek_needs_command" -f -a "revoke-check" -d 'Would (or did) disabling the key cut Speedscale off?'
complete -c cmek -n "__fish_cmek_needs_command" -f -a "evidence" -d 'Check a signed evidence file from revoke-check --evidence (offline)'
complete -c cmek -n "__fish_cmek_needs_command" -f -a "doctor" -d 'Can these credentials do what each subcommand needs? (IAM\'s simulator; changes nothing)'
complete -c cmek -n "__fish_cmek_needs_command" -f -a "template" -d 'Print what the customer runs to create the key: CloudFormation, Terraform, or the key policy'
complete -c cmek -n "__fish_cmek_needs_command" -f -a "man" -d 'Print the man page (roff): cmek man | man -l -; `cmek man verify` prints cmek-verify(1)'
complete -c cmek -n "__fish_cmek_needs_command" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, powershell, elvish)'
complete -c cmek -n "__fish_cmek_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cmek -n "__fish_cmek_using_subcommand verify" -l tenant -d 'Tenant id: 3-32 of a-z 0-9 -, starting and ending with a letter or digit, no --' -r
complete -c cmek -n "__fish_cmek_using_subcommand verify" -l key-arn -d 'The customer\'s full KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>)' -r
complete -c cmek -n "__fish_cmek_using_subcommand verify" -l profile -d 'AWS shared-config profile (SSO profiles included)' -r
complete -c cmek -n "__fish_cmek_using_subcommand verify" -l region -d 'The CMEK environment\'s region' -r
complete -c cmek -n "__fish_cmek_using_subcommand verify" -l endpoint-url -d 'Send every AWS call to this endpoint (a local emulator)' -r
complete -c cmek -n "__fish_cmek_using_subcommand verify" -l role-arn -d 'Role in the CMEK environment account to assume first' -r
complete -c cmek -n "__fish_cmek_using_subcommand verify" -l config -d 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment' -r -F
complete -c cmek -n "__fish_cmek_using_subcommand verify" -l output -d 'Output format: table for people, json for runbooks' -r -f -a "table\t'A table for people'
json\t'Exactly one JSON object on stdout, for runbooks'"
complete -c cmek -n "__fish_cmek_using_subcommand verify" -l quota-scale -d 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)' -r
complete -c cmek -n "__fish_cmek_using_subcommand verify" -s q -l quiet -d 'Less output on stderr: only errors'
complete -c cmek -n "__fish_cmek_using_subcommand verify" -s v -l verbose -d 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
complete -c cmek -n "__fish_cmek_using_subcommand verify" -l no-progress -d 'No progress bars or spinners'
complete -c cmek -n "__fish_cmek_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cmek -n "__fish_cmek_using_subcommand verify" -s V -l version -d 'Print version'
complete -c cmek -n "__fish_cmek_using_subcommand enable" -l tenant -d 'Tenant id: 3-32 of a-z 0-9 -, starting and ending with a letter or digit, no --' -r
complete -c cmek -n "__fish_cmek_using_subcommand enable" -l key-arn -d 'The customer\'s full KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>)' -r
complete -c cmek -n "__fish_cmek_using_subcommand enable" -l break-lock -d 'Take over the tenant\'s lock held by this run id (shown when a run is refused)' -r
complete -c cmek -n "__fish_cmek_using_subcommand enable" -l share-key-with -d 'Use a key another tenant claimed: allowed only when both tenants belong to the same customer account (shown in the plan, kept in both records and the audit event)' -r
complete -c cmek -n "__fish_cmek_using_subcommand enable" -l profile -d 'AWS shared-config profile (SSO profiles included)' -r
complete -c cmek -n "__fish_cmek_using_subcommand enable" -l region -d 'The CMEK environment\'s region' -r
complete -c cmek -n "__fish_cmek_using_subcommand enable" -l endpoint-url -d 'Send every AWS call to this endpoint (a local emulator)' -r
complete -c cmek -n "__fish_cmek_using_subcommand enable" -l role-arn -d 'Role in the CMEK environment account to assume first' -r
complete -c cmek -n "__fish_cmek_using_subcommand enable" -l config -d 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment' -r -F
complete -c cmek -n "__fish_cmek_using_subcommand enable" -l output -d 'Output format: table for people, json for runbooks' -r -f -a "table\t'A table for people'
json\t'Exactly one JSON object on stdout, for runbooks'"
complete -c cmek -n "__fish_cmek_using_subcommand enable" -l quota-scale -d 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)' -r
complete -c cmek -n "__fish_cmek_using_subcommand enable" -l dry-run -d 'Print the plan and change nothing'
complete -c cmek -n "__fish_cmek_using_subcommand enable" -s y -l yes -d 'Apply without asking (required when there is no terminal)'
complete -c cmek -n "__fish_cmek_using_subcommand enable" -l reencrypt-objects -d 'Also re-encrypt objects already in the tenant buckets, in place, under the key'
complete -c cmek -n "__fish_cmek_using_subcommand enable" -l batch-operations -d 'With --reencrypt-objects: re-encrypt through S3 Batch Operations jobs (one per storage class, followed to their end; for buckets too large for one machine) instead of copying from here'
complete -c cmek -n "__fish_cmek_using_subcommand enable" -l migrate-database -d 'Migrate a database on another key: snapshot, copy under the key, restore as <id>-cmek (the old database is left in place)'
complete -c cmek -n "__fish_cmek_using_subcommand enable" -l new-customer-account -d 'Move an onboarded tenant to a key in another customer account than its record names'
complete -c cmek -n "__fish_cmek_using_subcommand enable" -s q -l quiet -d 'Less output on stderr: only errors'
complete -c cmek -n "__fish_cmek_using_subcommand enable" -s v -l verbose -d 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
complete -c cmek -n "__fish_cmek_using_subcommand enable" -l no-progress -d 'No progress bars or spinners'
complete -c cmek -n "__fish_cmek_using_subcommand enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cmek -n "__fish_cmek_using_subcommand enable" -s V -l version -d 'Print version'
complete -c cmek -n "__fish_cmek_using_subcommand status" -l tenant -d 'Tenant id: 3-32 of a-z 0-9 -, starting and ending with a letter or digit, no --' -r
complete -c cmek -n "__fish_cmek_using_subcommand status" -l key-arn -d 'The key the tenant\'s resources should use (default: the tenant\'s record, else its tags)' -r
complete -c cmek -n "__fish_cmek_using_subcommand status" -l max-age -d 'With --all: serve tenants observed within DURATION (90s, 15m, 1h, 7d) from the registry\'s snapshot and observe the rest, oldest first; the key\'s state is always read live' -r
complete -c cmek -n "__fish_cmek_using_subcommand status" -l profile -d 'AWS shared-config profile (SSO profiles included)' -r
complete -c cmek -n "__fish_cmek_using_subcommand status" -l region -d 'The CMEK environment\'s region' -r
complete -c cmek -n "__fish_cmek_using_subcommand status" -l endpoint-url -d 'Send every AWS call to this endpoint (a local emulator)' -r
complete -c cmek -n "__fish_cmek_using_subcommand status" -l role-arn -d 'Role in the CMEK environment account to assume first' -r
complete -c cmek -n "__fish_cmek_using_subcommand status" -l config -d 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment' -r -F
complete -c cmek -n "__fish_cmek_using_subcommand status" -l output -d 'Output format: table for people, json for runbooks' -r -f -a "table\t'A table for people'
json\t'Exactly one JSON object on stdout, for runbooks'"
complete -c cmek -n "__fish_cmek_using_subcommand status" -l quota-scale -d 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)' -r
complete -c cmek -n "__fish_cmek_using_subcommand status" -l all -d 'Every onboarded tenant in the environment\'s registry, one row each'
complete -c cmek -n "__fish_cmek_using_subcommand status" -s q -l quiet -d 'Less output on stderr: only errors'
complete -c cmek -n "__fish_cmek_using_subcommand status" -s v -l verbose -d 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
complete -c cmek -n "__fish_cmek_using_subcommand status" -l no-progress -d 'No progress bars or spinners'
complete -c cmek -n "__fish_cmek_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cmek -n "__fish_cmek_using_subcommand status" -s V -l version -d 'Print version'
complete -c cmek -n "__fish_cmek_using_subcommand revoke-check" -l tenant -d 'Tenant id: 3-32 of a-z 0-9 -, starting and ending with a letter or digit, no --' -r
complete -c cmek -n "__fish_cmek_using_subcommand revoke-check" -l key-arn -d 'The tenant\'s key (default: the tenant\'s record, else its tags)' -r
complete -c cmek -n "__fish_cmek_using_subcommand revoke-check" -l scan-limit -d 'Objects examined per bucket when looking for objects not under the key' -r
complete -c cmek -n "__fish_cmek_using_subcommand revoke-check" -l evidence -d 'Also write a JSON evidence record for the customer\'s auditors: every probe with its AWS request id (see docs/json.md); never overwrites a file without --force' -r -F
complete -c cmek -n "__fish_cmek_using_subcommand revoke-check" -l profile -d 'AWS shared-config profile (SSO profiles included)' -r
complete -c cmek -n "__fish_cmek_using_subcommand revoke-check" -l region -d 'The CMEK environment\'s region' -r
complete -c cmek -n "__fish_cmek_using_subcommand revoke-check" -l endpoint-url -d 'Send every AWS call to this endpoint (a local emulator)' -r
complete -c cmek -n "__fish_cmek_using_subcommand revoke-check" -l role-arn -d 'Role in the CMEK environment account to assume first' -r
complete -c cmek -n "__fish_cmek_using_subcommand revoke-check" -l config -d 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment' -r -F
complete -c cmek -n "__fish_cmek_using_subcommand revoke-check" -l output -d 'Output format: table for people, json for runbooks' -r -f -a "table\t'A table for people'
json\t'Exactly one JSON object on stdout, for runbooks'"
complete -c cmek -n "__fish_cmek_using_subcommand revoke-check" -l quota-scale -d 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)' -r
complete -c cmek -n "__fish_cmek_using_subcommand revoke-check" -l force -d 'With --evidence: replace the file if it exists'
complete -c cmek -n "__fish_cmek_using_subcommand revoke-check" -l watch-key -d 'When the key is unusable: read it every 5 s for the longest data-key reuse period of the tenant\'s queues and topics (SQS\'s KmsDataKeyReusePeriodSeconds, SNS\'s 5 minutes), the only way to show those paths cut off'
complete -c cmek -n "__fish_cmek_using_subcommand revoke-check" -s q -l quiet -d 'Less output on stderr: only errors'
complete -c cmek -n "__fish_cmek_using_subcommand revoke-check" -s v -l verbose -d 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
complete -c cmek -n "__fish_cmek_using_subcommand revoke-check" -l no-progress -d 'No progress bars or spinners'
complete -c cmek -n "__fish_cmek_using_subcommand revoke-check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cmek -n "__fish_cmek_using_subcommand revoke-check" -s V -l version -d 'Print version'
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and not __fish_seen_subcommand_from verify help" -l profile -d 'AWS shared-config profile (SSO profiles included)' -r
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and not __fish_seen_subcommand_from verify help" -l region -d 'The CMEK environment\'s region' -r
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and not __fish_seen_subcommand_from verify help" -l endpoint-url -d 'Send every AWS call to this endpoint (a local emulator)' -r
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and not __fish_seen_subcommand_from verify help" -l role-arn -d 'Role in the CMEK environment account to assume first' -r
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and not __fish_seen_subcommand_from verify help" -l config -d 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment' -r -F
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and not __fish_seen_subcommand_from verify help" -l output -d 'Output format: table for people, json for runbooks' -r -f -a "table\t'A table for people'
json\t'Exactly one JSON object on stdout, for runbooks'"
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and not __fish_seen_subcommand_from verify help" -l quota-scale -d 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)' -r
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and not __fish_seen_subcommand_from verify help" -s q -l quiet -d 'Less output on stderr: only errors'
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and not __fish_seen_subcommand_from verify help" -s v -l verbose -d 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and not __fish_seen_subcommand_from verify help" -l no-progress -d 'No progress bars or spinners'
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and not __fish_seen_subcommand_from verify help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and not __fish_seen_subcommand_from verify help" -s V -l version -d 'Print version'
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and not __fish_seen_subcommand_from verify help" -f -a "verify" -d 'Check a signed evidence file (revoke-check --evidence): exit 0 if the signature matches, 1 naming what does not; no AWS call unless --online'
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and not __fish_seen_subcommand_from verify help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and __fish_seen_subcommand_from verify" -l public-key -d 'The signing key\'s public key (PEM, as `aws kms get-public-key` gives it once decoded), to check the file against a key you obtained yourself rather than the one the file carries' -r -F
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and __fish_seen_subcommand_from verify" -l profile -d 'AWS shared-config profile (SSO profiles included)' -r
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and __fish_seen_subcommand_from verify" -l region -d 'The CMEK environment\'s region' -r
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and __fish_seen_subcommand_from verify" -l endpoint-url -d 'Send every AWS call to this endpoint (a local emulator)' -r
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and __fish_seen_subcommand_from verify" -l role-arn -d 'Role in the CMEK environment account to assume first' -r
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and __fish_seen_subcommand_from verify" -l config -d 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment' -r -F
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and __fish_seen_subcommand_from verify" -l output -d 'Output format: table for people, json for runbooks' -r -f -a "table\t'A table for people'
json\t'Exactly one JSON object on stdout, for runbooks'"
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and __fish_seen_subcommand_from verify" -l quota-scale -d 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)' -r
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and __fish_seen_subcommand_from verify" -l online -d 'Also ask KMS (kms:Verify with the key the file names): needs credentials for Speedscale\'s account'
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Less output on stderr: only errors'
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and __fish_seen_subcommand_from verify" -l no-progress -d 'No progress bars or spinners'
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check a signed evidence file (revoke-check --evidence): exit 0 if the signature matches, 1 naming what does not; no AWS call unless --online'
complete -c cmek -n "__fish_cmek_using_subcommand evidence; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cmek -n "__fish_cmek_using_subcommand doctor" -l profile -d 'AWS shared-config profile (SSO profiles included)' -r
complete -c cmek -n "__fish_cmek_using_subcommand doctor" -l region -d 'The CMEK environment\'s region' -r
complete -c cmek -n "__fish_cmek_using_subcommand doctor" -l endpoint-url -d 'Send every AWS call to this endpoint (a local emulator)' -r
complete -c cmek -n "__fish_cmek_using_subcommand doctor" -l role-arn -d 'Role in the CMEK environment account to assume first' -r
complete -c cmek -n "__fish_cmek_using_subcommand doctor" -l config -d 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment' -r -F
complete -c cmek -n "__fish_cmek_using_subcommand doctor" -l output -d 'Output format: table for people, json for runbooks' -r -f -a "table\t'A table for people'
json\t'Exactly one JSON object on stdout, for runbooks'"
complete -c cmek -n "__fish_cmek_using_subcommand doctor" -l quota-scale -d 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)' -r
complete -c cmek -n "__fish_cmek_using_subcommand doctor" -s q -l quiet -d 'Less output on stderr: only errors'
complete -c cmek -n "__fish_cmek_using_subcommand doctor" -s v -l verbose -d 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
complete -c cmek -n "__fish_cmek_using_subcommand doctor" -l no-progress -d 'No progress bars or spinners'
complete -c cmek -n "__fish_cmek_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cmek -n "__fish_cmek_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c cmek -n "__fish_cmek_using_subcommand template" -l vendor-account -d 'Speedscale\'s AWS account id (12 digits): the account the key policy lets use the key' -r
complete -c cmek -n "__fish_cmek_using_subcommand template" -l tenant -d 'Scope the key policy to this tenant (its buckets and encryption context in the environment, --config): Speedscale may then use the key only for that tenant where AWS documents a condition to say so' -r
complete -c cmek -n "__fish_cmek_using_subcommand template" -l format -d 'Output format' -r -f -a "yaml\t'CloudFormation, commented YAML, for people to inspect'
json\t'CloudFormation, JSON'
terraform\t'A Terraform module (one document, or --out DIR for main.tf, variables.tf, outputs.tf)'
policy\t'The key policy alone, concrete (needs --customer-account, and a region)'"
complete -c cmek -n "__fish_cmek_using_subcommand template" -l out -d 'With --format terraform: write main.tf, variables.tf and outputs.tf into DIR (created if missing; an existing file is never overwritten)' -r -F
complete -c cmek -n "__fish_cmek_using_subcommand template" -l customer-account -d 'With --format policy: the customer\'s AWS account id (12 digits), where the key is' -r
complete -c cmek -n "__fish_cmek_using_subcommand template" -l profile -d 'AWS shared-config profile (SSO profiles included)' -r
complete -c cmek -n "__fish_cmek_using_subcommand template" -l region -d 'The CMEK environment\'s region' -r
complete -c cmek -n "__fish_cmek_using_subcommand template" -l endpoint-url -d 'Send every AWS call to this endpoint (a local emulator)' -r
complete -c cmek -n "__fish_cmek_using_subcommand template" -l role-arn -d 'Role in the CMEK environment account to assume first' -r
complete -c cmek -n "__fish_cmek_using_subcommand template" -l config -d 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment' -r -F
complete -c cmek -n "__fish_cmek_using_subcommand template" -l output -d 'Output format: table for people, json for runbooks' -r -f -a "table\t'A table for people'
json\t'Exactly one JSON object on stdout, for runbooks'"
complete -c cmek -n "__fish_cmek_using_subcommand template" -l quota-scale -d 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)' -r
complete -c cmek -n "__fish_cmek_using_subcommand template" -s q -l quiet -d 'Less output on stderr: only errors'
complete -c cmek -n "__fish_cmek_using_subcommand template" -s v -l verbose -d 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
complete -c cmek -n "__fish_cmek_using_subcommand template" -l no-progress -d 'No progress bars or spinners'
complete -c cmek -n "__fish_cmek_using_subcommand template" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cmek -n "__fish_cmek_using_subcommand template" -s V -l version -d 'Print version'
complete -c cmek -n "__fish_cmek_using_subcommand man" -l profile -d 'AWS shared-config profile (SSO profiles included)' -r
complete -c cmek -n "__fish_cmek_using_subcommand man" -l region -d 'The CMEK environment\'s region' -r
complete -c cmek -n "__fish_cmek_using_subcommand man" -l endpoint-url -d 'Send every AWS call to this endpoint (a local emulator)' -r
complete -c cmek -n "__fish_cmek_using_subcommand man" -l role-arn -d 'Role in the CMEK environment account to assume first' -r
complete -c cmek -n "__fish_cmek_using_subcommand man" -l config -d 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment' -r -F
complete -c cmek -n "__fish_cmek_using_subcommand man" -l output -d 'Output format: table for people, json for runbooks' -r -f -a "table\t'A table for people'
json\t'Exactly one JSON object on stdout, for runbooks'"
complete -c cmek -n "__fish_cmek_using_subcommand man" -l quota-scale -d 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)' -r
complete -c cmek -n "__fish_cmek_using_subcommand man" -s q -l quiet -d 'Less output on stderr: only errors'
complete -c cmek -n "__fish_cmek_using_subcommand man" -s v -l verbose -d 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
complete -c cmek -n "__fish_cmek_using_subcommand man" -l no-progress -d 'No progress bars or spinners'
complete -c cmek -n "__fish_cmek_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cmek -n "__fish_cmek_using_subcommand man" -s V -l version -d 'Print version'
complete -c cmek -n "__fish_cmek_using_subcommand completions" -l profile -d 'AWS shared-config profile (SSO profiles included)' -r
complete -c cmek -n "__fish_cmek_using_subcommand completions" -l region -d 'The CMEK environment\'s region' -r
complete -c cmek -n "__fish_cmek_using_subcommand completions" -l endpoint-url -d 'Send every AWS call to this endpoint (a local emulator)' -r
complete -c cmek -n "__fish_cmek_using_subcommand completions" -l role-arn -d 'Role in the CMEK environment account to assume first' -r
complete -c cmek -n "__fish_cmek_using_subcommand completions" -l config -d 'Environment file (TOML, see docs/environment.md); without it, the built-in default environment' -r -F
complete -c cmek -n "__fish_cmek_using_subcommand completions" -l output -d 'Output format: table for people, json for runbooks' -r -f -a "table\t'A table for people'
json\t'Exactly one JSON object on stdout, for runbooks'"
complete -c cmek -n "__fish_cmek_using_subcommand completions" -l quota-scale -d 'Multiply the AWS API quotas cmek paces itself within (docs/quotas.md), for an account whose adjustable quotas were raised; `off` stops pacing (a backend with no quotas)' -r
complete -c cmek -n "__fish_cmek_using_subcommand completions" -s q -l quiet -d 'Less output on stderr: only errors'
complete -c cmek -n "__fish_cmek_using_subcommand completions" -s v -l verbose -d 'More output on stderr (repeatable: -v, -vv, -vvv); credentials are never logged'
complete -c cmek -n "__fish_cmek_using_subcommand completions" -l no-progress -d 'No progress bars or spinners'
complete -c cmek -n "__fish_cmek_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cmek -n "__fish_cmek_using_subcommand completions" -s V -l version -d 'Print version'
complete -c cmek -n "__fish_cmek_using_subcommand help; and not __fish_seen_subcommand_from verify enable status revoke-check evidence doctor template man completions help" -f -a "verify" -d 'Prove the customer\'s key is usable for this tenant; change nothing'
complete -c cmek -n "__fish_cmek_using_subcommand help; and not __fish_seen_subcommand_from verify enable status revoke-check evidence doctor template man completions help" -f -a "enable" -d 'Plan, confirm, then apply the key to every tenant resource'
complete -c cmek -n "__fish_cmek_using_subcommand help; and not __fish_seen_subcommand_from verify enable status revoke-check evidence doctor template man completions help" -f -a "status" -d 'What each tenant resource is encrypted with, right now'
complete -c cmek -n "__fish_cmek_using_subcommand help; and not __fish_seen_subcommand_from verify enable status revoke-check evidence doctor template man completions help" -f -a "revoke-check" -d 'Would (or did) disabling the key cut Speedscale off?'
complete -c cmek -n "__fish_cmek_using_subcommand help; and not __fish_seen_subcommand_from verify enable status revoke-check evidence doctor template man completions help" -f -a "evidence" -d 'Check a signed evidence file from revoke-check --evidence (offline)'
complete -c cmek -n "__fish_cmek_using_subcommand help; and not __fish_seen_subcommand_from verify enable status revoke-check evidence doctor template man completions help" -f -a "doctor" -d 'Can these credentials do what each subcommand needs? (IAM\'s simulator; changes nothing)'
complete -c cmek -n "__fish_cmek_using_subcommand help; and not __fish_seen_subcommand_from verify enable status revoke-check evidence doctor template man completions help" -f -a "template" -d 'Print what the customer runs to create the key: CloudFormation, Terraform, or the key policy'
complete -c cmek -n "__fish_cmek_using_subcommand help; and not __fish_seen_subcommand_from verify enable status revoke-check evidence doctor template man completions help" -f -a "man" -d 'Print the man page (roff): cmek man | man -l -; `cmek man verify` prints cmek-verify(1)'
complete -c cmek -n "__fish_cmek_using_subcommand help; and not __fish_seen_subcommand_from verify enable status revoke-check evidence doctor template man completions help" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, powershell, elvish)'
complete -c cmek -n "__fish_cmek_using_subcommand help; and not __fish_seen_subcommand_from verify enable status revoke-check evidence doctor template man completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cmek -n "__fish_cmek_using_subcommand help; and __fish_seen_subcommand_from evidence" -f -a "verify" -d 'Check a signed evidence file (revoke-check --evidence): exit 0 if the signature matches, 1 naming what does not; no AWS call unless --online'
