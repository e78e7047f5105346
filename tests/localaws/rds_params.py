"""RDS for PostgreSQL DB parameter groups as AWS documents them, and CloudWatch Logs exports (R31):
default groups (default.postgres<major>) answer DescribeDBParameters with rds.force_ssl at the engine's
default (1 from PostgreSQL 15, 0 before), and can't be modified or deleted; a custom group lists what
ModifyDBParameterGroup set (Source user) beside the engine defaults; DescribeDBParameters pages with
Marker and MaxRecords (20 to 100), filters by Source and parameter-name; a group's family must be the
instance's (CreateDBInstance, ModifyDBInstance); a new group on a running instance, or a pending-reboot
change to its group, is ParameterApplyStatus pending-reboot until RebootDBInstance; a group in use
can't be deleted; EnableCloudwatchLogsExports and CloudwatchLogsExportConfiguration take postgresql,
upgrade and iam-db-auth-error only; an instance (postgres) or Aurora cluster (aurora-postgresql) created
without EngineVersion gets the engine's default version, the one DescribeDBEngineVersions (answered here
for those engines) gives with DefaultOnly. rds.py's hooks call this module."""

import base64
import json
import re
import time
import urllib.parse

from core import CONFIG, PENDING, AwsError, _xml, setting

PARAM_OPS = {"DescribeDBParameters"}  # R31: answered by the layer (rds_handle)
ENGINE_OPS = {"DescribeDBEngineVersions"}  # R31: answered by the layer for VERSION_SETTINGS' engines
# R31: the CONFIG setting holding each engine's default version (unconfirmed: rds-default-engine-version).
VERSION_SETTINGS = {"postgres": "rds_default_postgres_version",
                    "aurora-postgresql": "rds_default_aurora_postgresql_version"}
VERSION = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-[\w.]+)?$")  # 17.4, 9.6.24, 14, 9.6, 11.22-rds.20241121
POSTGRES_LOG_TYPES = ("postgresql", "upgrade", "iam-db-auth-error")  # R31: the API reference's list for RDS for PostgreSQL
DEFAULT_GROUP = re.compile(r"^default\.(postgres(?:9\.\d|[1-9]\d+))$")  # R31: default.postgres14, default.postgres9.6
PENDING_REBOOT = {}  # R31: (account, region, db id) -> None (until a reboot) or the time a reboot completes


def backend(account, region):
    from moto.rds.models import rds_backends
    return rds_backends[account][region]


def pg_family(version):
    """R31: the DB parameter group family of a PostgreSQL engine version: postgres<major> from 10
    (AWS: PostgreSQL 13.3 uses default.postgres13), postgres<major>.<minor> before (9.6.24: postgres9.6, 9.6
    being the major version)."""
    parts = str(version or "").split(".")
    try:
        major = int(parts[0])
    except ValueError:
        return None
    if major >= 10 or len(parts) < 2:
        return f"postgres{major}"
    return f"postgres{major}.{parts[1]}"


def major_version(version):
    """R31: the major version of a PostgreSQL engine version, "17" of 17.4, "9.6" of 9.6.24 ("For
    PostgreSQL versions lower than 10, ... 9.6 is a major version"); None when it is not one."""
    m = VERSION.match(str(version or ""))
    if not m:
        return None
    if int(m.group(1)) >= 10:
        return m.group(1)
    return f"{m.group(1)}.{m.group(2)}" if m.group(2) is not None else None


def engine_family(engine, version):
    """R31: the family of an engine version: postgres<major> (pg_family), aurora-postgresql<major> for
    Aurora PostgreSQL (AWS's example: aurora-postgresql14; aurora-postgresql9.6 before 10)."""
    family = pg_family(version) if major_version(version) is not None else None
    if family is None or engine == "postgres":
        return family
    return "aurora-postgresql" + family[len("postgres"):]


def default_version(engine, account):
    """R31, unconfirmed (rds-default-engine-version): the engine's default version, a stand-in set by
    rds_default_postgres_version or rds_default_aurora_postgresql_version (AWS's is whatever
    DescribeDBEngineVersions with DefaultOnly answers at the time)."""
    return str(setting(VERSION_SETTINGS[engine], account))


def with_default_version(call, body, engine):
    """R31: a create call of `engine` without EngineVersion gets the engine's default version ("If no version
    is specified, Amazon RDS defaults to an available version"; Aurora: "the version that Aurora chooses
    automatically for database creation"), so that what the instance or cluster reports, and its default
    parameter group, is that version's. Returns the body for moto (unchanged for other calls)."""
    form = call.form
    if form.get("Engine") != engine or form.get("EngineVersion"):
        return body
    added = urllib.parse.urlencode({"EngineVersion": default_version(engine, call.account)}).encode()
    pairs = urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    if all(k != "EngineVersion" for k, _ in pairs):
        return body + (b"&" if body else b"") + added  # the request's own bytes, and the version
    return urllib.parse.urlencode([(k, v) for k, v in pairs if k != "EngineVersion"]).encode() + b"&" + added


def family_major(family):
    m = re.match(r"^postgres(\d+)", family or "")
    return int(m.group(1)) if m else None


def engine_defaults(call, family):
    """R31: the engine-default parameters of a family the layer knows: rds.force_ssl only, 1 (on) from
    PostgreSQL 15, 0 (off) for 14 and older. Its Source is "system" (rds_force_ssl_source_system 1, the
    default) or "engine-default" (0); the other fields as seen in DescribeDBParameters outputs."""
    major = family_major(family)
    if major is None:
        return {}
    source = "system" if setting("rds_force_ssl_source_system", call.account) else "engine-default"
    return {"rds.force_ssl": dict(FORCE_SSL, ParameterValue="1" if major >= 15 else "0", Source=source)}


FORCE_SSL = {"ParameterName": "rds.force_ssl", "Description": "Force SSL connections.", "ApplyType": "dynamic",
             "DataType": "boolean", "AllowedValues": "0,1", "IsModifiable": True}
FIELDS = ("ParameterName", "ParameterValue", "Description", "Source", "ApplyType", "DataType", "AllowedValues",
          "IsModifiable", "MinimumEngineVersion", "ApplyMethod")


def find_group(call, name):
    """R31: (family, moto's group or None, is default) of a DB parameter group name, or None when there
    is no such group. A default group (default.postgres<major>) is there before any instance uses it."""
    name = (name or "").lower()
    groups = backend(call.account, call.region).db_parameter_groups
    group = groups.get(name)
    m = DEFAULT_GROUP.match(name)
    if m:
        return m.group(1), group, True
    if group is None:
        return None
    return group.family, group, name.startswith("default.")


def ensure_default_group(call, name):
    """R31: a default group moto has not made yet, made in moto's backend (so that DescribeDBParameterGroups
    lists it and ModifyDBInstance accepts it)."""
    from moto.rds.models import DBParameterGroup
    name = (name or "").lower()
    m = DEFAULT_GROUP.match(name)
    b = backend(call.account, call.region)
    if m and name not in b.db_parameter_groups:
        b.db_parameter_groups[name] = DBParameterGroup(backend=b, db_parameter_group_name=name,
                                                       db_parameter_group_family=m.group(1),
                                                       description=f"Default parameter group for {m.group(1)}",
                                                       tags=[])


# ---------------------------------------------------------------------------------------------
# DescribeDBParameters (answered by the layer)


def params_handle(call):
    """R31: DescribeDBParameters: the group's parameters (engine defaults, then what ModifyDBParameterGroup
    set, Source user), in name order, Source and parameter-name filters, pages of MaxRecords (20 to 100,
    default 100) resumed by Marker."""
    from rds import form_filters, rds_response
    form = call.form
    name = form.get("DBParameterGroupName")
    found = find_group(call, name)
    if found is None:
        raise AwsError(404, "DBParameterGroupNotFound", f"DBParameterGroup not found: {name}")
    family, group, _ = found
    params = engine_defaults(call, family)
    for pname, p in (group.parameters.items() if group is not None else []):
        base = dict(params.get(pname) or {"ParameterName": pname})
        base.update({k: v for k, v in p.items() if k in FIELDS and v is not None})
        base["Source"] = "user"
        params[pname] = base
    source = form.get("Source")
    if source is not None and source not in ("user", "system", "engine-default"):
        # R31, unconfirmed (rds-describe-parameters-invalid-value): the error code.
        raise AwsError(400, "InvalidParameterValue", f"Invalid Source: {source}. Valid values: user | system | "
                       "engine-default")
    filters = form_filters(form)
    for fname in filters:
        if fname != "parameter-name":
            raise AwsError(400, "InvalidParameterValue", f"Unrecognized filter name: {fname}")
    names = set(filters.get("parameter-name", []))
    found = [params[k] for k in sorted(params) if (source is None or params[k].get("Source") == source)
             and (not names or k in names)]
    try:
        limit = int(form.get("MaxRecords") or 100)
    except ValueError:
        limit = 0
    if not 20 <= limit <= 100:
        # R31: "Constraints: Minimum 20, maximum 100."; the error code unconfirmed.
        raise AwsError(400, "InvalidParameterValue", f"Invalid value {form.get('MaxRecords')} for MaxRecords. "
                       "Must be between 20 and 100")
    marker = form.get("Marker")
    if marker:
        try:
            after = json.loads(base64.urlsafe_b64decode(marker.encode()).decode())
            assert isinstance(after, list) and after[0] == (name or "").lower()
        except (ValueError, AssertionError, IndexError, TypeError):
            raise AwsError(400, "InvalidParameterValue", "The marker is not valid")
        found = [p for p in found if p["ParameterName"] > after[1]]
    page, rest = found[:limit], found[limit:]
    inner = "<Parameters>" + "".join(parameter_xml(p) for p in page) + "</Parameters>"
    if rest:
        token = base64.urlsafe_b64encode(json.dumps([(name or "").lower(), page[-1]["ParameterName"]]).encode())
        inner += f"<Marker>{token.decode()}</Marker>"
    return rds_response(call.operation, inner)


# ---------------------------------------------------------------------------------------------
# DescribeDBEngineVersions (answered by the layer for postgres and aurora-postgresql)

ENGINE_FILTERS = ("db-parameter-group-family", "engine", "engine-version", "status")


def engine_version_record(engine, version):
    """R31: one DBEngineVersion as the layer gives it: Engine, MajorEngineVersion, EngineVersion,
    DBParameterGroupFamily, DBEngineDescription, DBEngineVersionDescription, Status (the descriptions'
    wording unconfirmed: rds-engine-version-fields)."""
    if engine == "postgres":
        descriptions = ("PostgreSQL", f"PostgreSQL {version}-R1")
    else:
        descriptions = ("Aurora (PostgreSQL)", f"Aurora PostgreSQL (Compatible with PostgreSQL {version})")
    return {"Engine": engine, "MajorEngineVersion": major_version(version), "EngineVersion": version,
            "DBParameterGroupFamily": engine_family(engine, version), "DBEngineDescription": descriptions[0],
            "DBEngineVersionDescription": descriptions[1], "Status": "available"}


def version_key(version):
    return [int(x) for x in re.findall(r"\d+", version)]


def engine_versions_handle(call):
    """R31: DescribeDBEngineVersions for Engine postgres or aurora-postgresql (moto answers HTTP 500): the
    engine's default version (DefaultOnly, or nothing named), the EngineVersion named (a major version
    alone: the default when it is of that major), filtered by DBParameterGroupFamily and the filters
    db-parameter-group-family, engine, engine-version and status; pages of MaxRecords (20 to 100, default
    100) resumed by Marker. Returns None (moto answers, as before) for another engine, none, or another
    filter."""
    from rds import form_filters, rds_response
    form = call.form
    engine = form.get("Engine")
    if engine not in VERSION_SETTINGS:
        return None
    filters = form_filters(form)
    if any(name not in ENGINE_FILTERS for name in filters):
        return None
    try:
        limit = int(form.get("MaxRecords") or 100)
    except ValueError:
        limit = 0
    if not 20 <= limit <= 100:
        # R31: "Constraints: Minimum 20, maximum 100."; the error code unconfirmed:
        # rds-describe-engine-versions-invalid-value.
        raise AwsError(400, "InvalidParameterValue", f"Invalid value {form.get('MaxRecords')} for MaxRecords. "
                       "Must be between 20 and 100")
    default = default_version(engine, call.account)
    wanted = form.get("EngineVersion")
    if not wanted:
        # R31: DefaultOnly "return only the default version of the specified engine"; without it the layer
        # knows no other version (unconfirmed: rds-engine-version-listed).
        versions = [default]
    elif major_version(wanted) is None:
        versions = []
    elif major_version(wanted) == wanted:
        # R31: "Every major version has a corresponding default minor version": the layer knows its default's.
        versions = [default] if major_version(default) == wanted else []
    else:
        versions = [wanted]  # R31, unconfirmed (rds-engine-version-listed): any version named is listed
    records = [engine_version_record(engine, v) for v in versions if engine_family(engine, v)]
    if form.get("DBParameterGroupFamily"):
        records = [r for r in records if r["DBParameterGroupFamily"] == form["DBParameterGroupFamily"]]
    fields = {"db-parameter-group-family": "DBParameterGroupFamily", "engine": "Engine",
              "engine-version": "EngineVersion", "status": "Status"}
    for name, values in filters.items():
        records = [r for r in records if r[fields[name]] in values]
    records.sort(key=lambda r: version_key(r["EngineVersion"]))
    marker = form.get("Marker")
    if marker:
        try:
            after = json.loads(base64.urlsafe_b64decode(marker.encode()).decode())
            assert isinstance(after, list) and after[0] == engine and isinstance(after[1], str)
        except (ValueError, AssertionError, IndexError, TypeError):
            raise AwsError(400, "InvalidParameterValue", "The marker is not valid")
        records = [r for r in records if version_key(r["EngineVersion"]) > version_key(after[1])]
    page, rest = records[:limit], records[limit:]
    inner = "<DBEngineVersions>" + "".join(
        "<DBEngineVersion>" + "".join(f"<{k}>{_xml(v)}</{k}>" for k, v in r.items() if v is not None)
        + "</DBEngineVersion>" for r in page) + "</DBEngineVersions>"
    if rest:
        token = base64.urlsafe_b64encode(json.dumps([engine, page[-1]["EngineVersion"]]).encode())
        inner += f"<Marker>{token.decode()}</Marker>"
    return rds_response(call.operation, inner)


def parameter_xml(p):
    out = ""
    for k in FIELDS:
        v = p.get(k)
        if v is None:
            continue
        out += f"<{k}>{_xml(str(v).lower() if isinstance(v, bool) else v)}</{k}>"
    return f"<Parameter>{out}</Parameter>"


# ---------------------------------------------------------------------------------------------
# Before and after the calls moto answers


def params_before(call):
    """R31 before moto: the checks AWS documents (raise AwsError to refuse the call), and the request's
    log types as moto should apply them (call.body rewritten)."""
    op, form = call.operation, call.form
    b = backend(call.account, call.region)
    if op == "ModifyDBParameterGroup" or op == "ResetDBParameterGroup":
        name = (form.get("DBParameterGroupName") or "").lower()
        if name.startswith("default."):
            # R31: "you can't change any values of the settings contained in the default RDS for PostgreSQL DB
            # parameter groups"; the error (InvalidParameterValue) unconfirmed: rds-modify-default-parameter-group.
            raise AwsError(400, "InvalidParameterValue", "Cannot modify a default parameter group.")
    elif op == "DeleteDBParameterGroup":
        name = (form.get("DBParameterGroupName") or "").lower()
        if find_group(call, name) is None:
            raise AwsError(404, "DBParameterGroupNotFound", f"DBParameterGroup not found: {name}")
        if name.startswith("default."):
            # R31: "You can't delete a default DB parameter group"; the fault unconfirmed:
            # rds-delete-default-parameter-group.
            raise AwsError(400, "InvalidDBParameterGroupState", f"Default DBParameterGroup cannot be deleted: {name}")
        users = [d.db_instance_identifier for d in b.databases.values() if group_of(d) == name]
        if users:
            # R31: "The DB parameter group to be deleted can't be associated with any DB instances."
            raise AwsError(400, "InvalidDBParameterGroupState",
                           f"One or more database instances are still members of this parameter group {name}, so "
                           f"the group cannot be deleted ({', '.join(users)}).")
    elif op == "RebootDBInstance":
        from rds import rds_settle
        rds_settle(call.account, call.region, form.get("DBInstanceIdentifier"))
        db = b.databases.get(form.get("DBInstanceIdentifier"))
        if db is not None and db.status != "available":
            # R31: "You can't reboot your DB instance if it is not in the available state."
            raise AwsError(400, "InvalidDBInstanceState",
                           f"Instance {db.db_instance_identifier} is not in available state ({db.status}).")
    elif op == "DescribeDBParameterGroups" and form.get("DBParameterGroupName"):
        name = form["DBParameterGroupName"]
        ensure_default_group(call, name)  # R31, unconfirmed (rds-default-group-before-use)
        if find_group(call, name) is None:
            # R31: DBParameterGroupNotFoundFault: "DBParameterGroupName doesn't refer to an existing DB parameter
            # group." (moto answers an empty list)
            raise AwsError(404, "DBParameterGroupNotFound", f"DBParameterGroup not found: {name}")
    elif op == "CreateDBInstance" and form.get("Engine") == "postgres":
        # R31: without EngineVersion, the engine's default version (moto's own is 9.3.3).
        call.body = with_default_version(call, call.body, "postgres")
        version = form.get("EngineVersion") or default_version("postgres", call.account)
        if form.get("DBParameterGroupName"):
            family_check(call, form["DBParameterGroupName"], version)
        wanted = form_values(call, "EnableCloudwatchLogsExports.member")
        log_types_check(wanted, version)
        set_list(call, "EnableCloudwatchLogsExports.member", dedupe(wanted))
    elif op == "ModifyDBInstance":
        db = b.databases.get(form.get("DBInstanceIdentifier"))
        if db is None or db.engine != "postgres":
            return
        version = form.get("EngineVersion") or db.engine_version
        call.r31_group_before = group_of(db)
        if form.get("DBParameterGroupName"):
            family_check(call, form["DBParameterGroupName"], version)
            ensure_default_group(call, form["DBParameterGroupName"])  # moto accepts only groups it has
        enable = form_values(call, "CloudwatchLogsExportConfiguration.EnableLogTypes.member")
        disable = form_values(call, "CloudwatchLogsExportConfiguration.DisableLogTypes.member")
        log_types_check(enable + disable, version)
        if enable or disable:
            # R31, unconfirmed (rds-log-export-idempotent): disabling a type not enabled, or enabling one that
            # is, changes nothing (moto answers HTTP 500 for the first and lists the second twice).
            enabled = list(db.enabled_cloudwatch_logs_exports or [])
            disable = [t for t in dedupe(disable) if t in enabled]
            after = [t for t in enabled if t not in disable]
            enable = [t for t in dedupe(enable) if t not in after]
            set_list(call, "CloudwatchLogsExportConfiguration.DisableLogTypes.member", disable)
            set_list(call, "CloudwatchLogsExportConfiguration.EnableLogTypes.member", enable)


def group_of(db):
    """R31: the name of the DB parameter group an instance uses (its engine's default when none was named)."""
    name = (getattr(db, "db_parameter_group_name", None) or "").lower()
    if name and not name.startswith("default."):
        return name
    if db.engine == "postgres":
        return f"default.{pg_family(db.engine_version)}"
    return name or None


def family_check(call, name, version):
    """R31: the group must be of the instance's family ("Must be in the same DB parameter group family as the
    DB instance"); the error (InvalidParameterCombination) unconfirmed: rds-parameter-group-family-mismatch.
    A group that does not exist is left to moto (DBParameterGroupNotFound)."""
    found = find_group(call, name)
    want = pg_family(version)
    if found is None or want is None:
        return
    if found[0] != want:
        raise AwsError(400, "InvalidParameterCombination",
                       f"The parameter group {name.lower()} with DBParameterGroupFamily {found[0]} can't be used for "
                       f"this instance. Use a parameter group with DBParameterGroupFamily {want}.")


def log_types_check(types, version):
    """R31: RDS for PostgreSQL exports postgresql | upgrade | iam-db-auth-error; another type is refused
    (InvalidParameterCombination, unconfirmed: rds-log-export-invalid-type)."""
    bad = [t for t in dedupe(types) if t not in POSTGRES_LOG_TYPES]
    if bad:
        raise AwsError(400, "InvalidParameterCombination",
                       f"You cannot use the log types {', '.join(repr(t) for t in bad)} with engine version postgres "
                       f"{version}. For supported log types, see the documentation.")


def dedupe(values):
    out = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


def form_values(call, prefix):
    """The values of a Query-protocol list in the request body (prefix.1, prefix.2, ...)."""
    pairs = urllib.parse.parse_qsl(call.body.decode("utf-8", "replace"), keep_blank_values=True)
    numbered = sorted((int(k[len(prefix) + 1:]), v) for k, v in pairs
                      if k.startswith(prefix + ".") and k[len(prefix) + 1:].isdigit())
    return [v for _, v in numbered]


def set_list(call, prefix, values):
    """The request body with the list `prefix` replaced by `values` (the body moto sees)."""
    pairs = urllib.parse.parse_qsl(call.body.decode("utf-8", "replace"), keep_blank_values=True)
    if not any(k.startswith(prefix + ".") for k, _ in pairs):
        return
    pairs = [(k, v) for k, v in pairs if not k.startswith(prefix + ".")]
    pairs += [(f"{prefix}.{i}", v) for i, v in enumerate(values, 1)]
    call.body = urllib.parse.urlencode(pairs).encode()


def params_after(call, out):
    """R31 after a call that succeeded: ParameterApplyStatus (pending-reboot after a new group or a
    pending-reboot change to it, until RebootDBInstance), then every PostgreSQL DBInstance's DBParameterGroups
    as the layer sees them."""
    op, form, now = call.operation, call.form, time.time()
    b = backend(call.account, call.region)
    ident = (call.account, call.region, form.get("DBInstanceIdentifier"))
    if op in ("CreateDBInstance", "RestoreDBInstanceFromDBSnapshot", "DeleteDBInstance"):
        PENDING_REBOOT.pop(ident, None)
    elif op == "ModifyDBInstance":
        db = b.databases.get(form.get("NewDBInstanceIdentifier") or form.get("DBInstanceIdentifier"))
        before = getattr(call, "r31_group_before", None)
        if db is not None and before is not None and group_of(db) != before:
            # R31: "the actual parameter changes are not applied until you reboot the instance without failover"
            PENDING_REBOOT[(call.account, call.region, db.db_instance_identifier)] = None
    elif op == "ModifyDBParameterGroup":
        name = (form.get("DBParameterGroupName") or "").lower()
        methods = [v for k, v in form.items() if re.match(r"^Parameters\.Parameter\.\d+\.ApplyMethod$", k)]
        if "pending-reboot" in methods:
            # R31: "When the application method is pending-reboot, changes to dynamic and static parameters are
            # applied after a reboot without failover to the DB instances associated with the parameter group."
            for db in b.databases.values():
                if group_of(db) == name:
                    PENDING_REBOOT[(call.account, call.region, db.db_instance_identifier)] = None
    elif op == "RebootDBInstance":
        db = b.databases.get(form.get("DBInstanceIdentifier"))
        if db is not None:
            # R31: "Rebooting a DB instance results in a momentary outage, during which the DB instance status
            # is set to rebooting." (rds_modify seconds); the group's changes are applied by the reboot.
            db.status = "rebooting"
            ready = now + CONFIG["rds_modify"]
            PENDING[("rds-db", call.account, call.region, db.db_instance_identifier)] = ready
            if ident in PENDING_REBOOT:
                PENDING_REBOOT[ident] = ready
            out = re.sub(rb"<DBInstanceStatus>[^<]*</DBInstanceStatus>", b"<DBInstanceStatus>rebooting</DBInstanceStatus>",
                         out, count=1)
    return with_parameter_groups(call, out)


DB_INSTANCE = re.compile(rb"<DBInstance>.*?<DBInstanceIdentifier>([^<]*)</DBInstanceIdentifier>.*?</DBInstance>", re.S)
DB_PARAMETER_GROUPS = re.compile(rb"<DBParameterGroups>.*?</DBParameterGroups>|<DBParameterGroups/>", re.S)


def apply_status(ident, now=None):
    """R31: in-sync, or pending-reboot until a reboot has completed."""
    if ident not in PENDING_REBOOT:
        return "in-sync"
    until = PENDING_REBOOT[ident]
    if until is not None and (now or time.time()) >= until:
        PENDING_REBOOT.pop(ident, None)
        return "in-sync"
    return "pending-reboot"


def with_parameter_groups(call, out):
    """R31: DBParameterGroups [{DBParameterGroupName, ParameterApplyStatus}] of every PostgreSQL DBInstance
    of a response (moto: always in-sync, and its own default-group name)."""
    if b"<DBInstance>" not in out:
        return out
    b = backend(call.account, call.region)
    now = time.time()

    def fix(m):
        db = b.databases.get(m.group(1).decode())
        if db is None or db.engine != "postgres":
            return m.group(0)
        status = apply_status((call.account, call.region, db.db_instance_identifier), now)
        groups = (f"<DBParameterGroups><DBParameterGroup><DBParameterGroupName>{_xml(group_of(db))}"
                  f"</DBParameterGroupName><ParameterApplyStatus>{status}</ParameterApplyStatus></DBParameterGroup>"
                  "</DBParameterGroups>").encode()
        return DB_PARAMETER_GROUPS.sub(lambda _: groups, m.group(0), count=1)
    return DB_INSTANCE.sub(fix, out)
