"""Moto bugs fixed at the source (M1-M6), Firehose's stream quota (R11), moto's bucket policy check
turned over to the layer (R27), and a speed fix of moto's dispatcher. localaws.py calls patch_moto()
once, when it is imported."""

import json
import random
import re
import string


def patch_moto():
    """Moto bugs that are not AWS behaviour at all, fixed at the source rather than modelled.

    M1: RDS MasterUserSecret.kms_key_id looks a key ARN up in the caller's account, so a database
    whose secret is under a cross-account key cannot be described (HTTP 500). AWS reports the ARN.
    R12: the master password secret is created as rds.py planned it (name, ARN, version id).
    R11: Firehose allows 50 streams per region; AWS's default quota is 5,000.
    M2: CloudFormation's AWS::KMS::Key loses a KeyPolicy given as an object, fails on Tags and ignores
    KeySpec, KeyUsage and Enabled.
    M3: IAM's policy validator refuses the region in an S3 Batch Operations job ARN.
    M4: every RDS DB instance (a restore and a read replica too) has the same DbiResourceId.
    M5: KMS PutKeyPolicy and GetKeyPolicy without PolicyName answer NotFoundException; AWS takes
    "default".
    M6: RestoreDBClusterFromSnapshot of a snapshot whose cluster has a managed master password is
    HTTP 500 (DBCluster.get_cfg expects a password); a cluster's KmsKeyId is kept as given
    ("default_kms_key_id" without one, reported even when the cluster is unencrypted).
    R25: a DB cluster's status is what the layer sets (moto turns "creating" into "available" the
    first time it is read)."""
    from moto.iam import policy_validation
    s3_regional = policy_validation.SERVICE_TYPE_REGION_INFORMATION_ERROR_ASSOCIATIONS["s3"]["valid_starting_values"]
    if "job/" not in s3_regional:
        s3_regional.append("job/")
    from moto.rds import models as rds_models

    def kms_key_id(self):
        ref = self.secret.kms_key_id
        if re.match(r"^arn:[\w-]+:kms:", ref or ""):
            return ref
        return self.kms.describe_key(ref).arn

    rds_models.MasterUserSecret.kms_key_id = property(kms_key_id)

    # M5: "If no policy name is specified, the default value is default" (KMS API reference,
    # PutKeyPolicy and GetKeyPolicy); moto refuses a request without one.
    from moto.kms import responses as kms_responses
    assert_default = kms_responses._assert_default_policy

    def default_policy_name(policy_name):
        assert_default("default" if policy_name is None else policy_name)

    kms_responses._assert_default_policy = default_policy_name

    # M4: moto gives every DB instance the DbiResourceId db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U (a restore copies
    # its source's, a read replica is a copy of its primary); AWS's is "Region-unique, immutable".
    # Each new instance gets its own, in the form of AWS's examples (db-, 26 upper-case letters and
    # digits); a snapshot keeps its instance's (DBSnapshot copies it at creation).
    instance_init = rds_models.DBInstance.__init__

    def init_with_own_resource_id(self, *args, **kwargs):
        instance_init(self, *args, **kwargs)
        self.dbi_resource_id = new_dbi_resource_id()

    rds_models.DBInstance.__init__ = init_with_own_resource_id
    create_replica = rds_models.RDSBackend.create_db_instance_read_replica

    def replica_with_own_resource_id(self, db_kwargs):
        replica = create_replica(self, db_kwargs)
        replica.dbi_resource_id = new_dbi_resource_id()  # M4: moto's replica is copy.copy(primary)
        return replica

    rds_models.RDSBackend.create_db_instance_read_replica = replica_with_own_resource_id

    # R12: the master password secret takes the name, ARN suffix and first version id rds.py checked
    # Secrets Manager's key use with (its SecretARN, SecretVersionId), so DescribeDBInstances'
    # MasterUserSecret.SecretArn is the ARN the key policy was evaluated against. Without a plan
    # (a restore's copied secret), moto's own naming, which has the same form.
    from moto.secretsmanager.utils import SecretsManagerSecretIdentifier
    from moto.utilities.id_generator import moto_id_manager
    create_secret = rds_models.MasterUserSecret._create_secret

    def create_planned_secret(self, kms_key_id):
        import rds
        plan = rds.take_planned_secret()
        if plan is None:
            return create_secret(self, kms_key_id)
        sm = self.secretsmanager
        ident = SecretsManagerSecretIdentifier(sm.account_id, sm.region_name, plan["name"])
        moto_id_manager.set_custom_id(ident, plan["suffix"])
        try:
            return sm.create_managed_secret(
                service_name="rds", secret_id=plan["name"], secret_string=self._generate_secret_string(),
                description=self._generate_secret_description(), kms_key_id=kms_key_id,
                tags=self._generate_secret_tags(), version_id=plan["version"])
        finally:
            moto_id_manager.unset_custom_id(ident)

    rds_models.MasterUserSecret._create_secret = create_planned_secret

    # M6: moto's DBCluster.get_cfg pops _master_user_password, which a cluster whose password RDS
    # manages never has: RestoreDBClusterFromSnapshot of its snapshot raised KeyError (HTTP 500).
    def cluster_cfg(self):
        cfg = self.__dict__.copy()
        cfg.pop("backend")
        cfg["master_user_password"] = cfg.pop("_master_user_password", None)
        cfg["enable_http_endpoint"] = cfg.pop("_enable_http_endpoint")
        cfg["vpc_security_group_ids"] = cfg.pop("_vpc_security_group_ids")
        return cfg

    rds_models.DBCluster.get_cfg = cluster_cfg

    # M6: a cluster's KmsKeyId is kept as given (an alias, a key id), "default_kms_key_id" without
    # one, and reported even when the cluster is unencrypted. R25: the key as RDS resolved it, its
    # ARN (the account's aws/rds key when StorageEncrypted names none); none when unencrypted.
    cluster_init = rds_models.DBCluster.__init__

    def init_cluster_key(self, backend, *args, **kwargs):
        cluster_init(self, backend, *args, **kwargs)
        if not self.storage_encrypted:
            self.kms_key_id = None
            return
        from kms import find_key, parse_key_ref  # the layer's resolution: key ids, aliases, ARNs of any account
        ref = self.kms_key_id if self.kms_key_id not in (None, "default_kms_key_id") else "alias/aws/rds"
        key = find_key(*parse_key_ref(ref, backend.account_id, backend.region_name))
        self.kms_key_id = key.arn if key is not None else ref

    rds_models.DBCluster.__init__ = init_cluster_key

    # R25: a restore under KmsKeyId is encrypted under it (moto keeps an unencrypted snapshot's
    # StorageEncrypted); what the restored cluster keeps of the source's managed master password is
    # rds_cluster.restored_secret's, before moto answers.
    restore_cluster = rds_models.RDSBackend.restore_db_cluster_from_snapshot

    def restore_under_key(self, from_snapshot_id, overrides):
        import rds_cluster
        if overrides.get("kms_key_id"):
            overrides["storage_encrypted"] = True
        cluster = restore_cluster(self, from_snapshot_id, overrides)
        rds_cluster.restored_secret(self, cluster, from_snapshot_id)
        return cluster

    rds_models.RDSBackend.restore_db_cluster_from_snapshot = restore_under_key

    # R25: the cluster's status is a plain attribute; rds_cluster.py moves it on (PENDING).
    def cluster_status(self):
        return self._status

    def set_cluster_status(self, value):
        self._status = value

    rds_models.DBCluster.status = property(cluster_status, set_cluster_status)

    # M2. CloudFormation AWS::KMS::Key: KeyPolicy is a JSON object in CloudFormation (moto stores the
    # dict, and the key then has "no policy"); Tags come as Key/Value (moto expects TagKey/TagValue
    # and answers HTTP 500); KeySpec, KeyUsage and Enabled: false are ignored.
    from moto.kms import models as kms_models
    original = kms_models.Key.create_from_cloudformation_json.__func__

    def create_key_from_cfn(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = dict(cloudformation_json.get("Properties") or {})
        if not isinstance(props.get("KeyPolicy"), str):
            props["KeyPolicy"] = json.dumps(props.get("KeyPolicy"))
        props["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in props.get("Tags") or []]
        key = original(cls, resource_name, dict(cloudformation_json, Properties=props), account_id,
                       region_name, **kwargs)
        key.key_spec = props.get("KeySpec", "SYMMETRIC_DEFAULT")
        key.key_usage = props.get("KeyUsage", "ENCRYPT_DECRYPT")
        if str(props.get("Enabled", True)).lower() == "false":
            key.enabled, key.key_state = False, "Disabled"
        return key

    kms_models.Key.create_from_cloudformation_json = classmethod(create_key_from_cfn)

    # Speed, not behaviour: moto's dispatcher lists its own package directory (a listdir and ~70
    # stats) on every request to find the service; the list never changes while it runs.
    from moto import backends as moto_backends
    from moto.moto_server import werkzeug_app
    modules = tuple(moto_backends.list_of_moto_modules())
    moto_backends.list_of_moto_modules = lambda: iter(modules)
    if hasattr(werkzeug_app, "list_of_moto_modules"):
        werkzeug_app.list_of_moto_modules = moto_backends.list_of_moto_modules

    # R11. Firehose: AWS's default quota is 5,000 streams per region (Firehose quotas page); moto's is 50.
    from moto.firehose import models as firehose_models
    firehose_models.DeliveryStream.MAX_STREAMS_PER_REGION = 5000

    # R27: the layer evaluates bucket policies (s3_access.py) before a request reaches moto; moto's own
    # check (object GET, PUT, DELETE, HEAD and DeleteObjects' keys) denies whenever a statement's
    # condition cannot be evaluated, an Allow's too, and ignores AWS principals. It now answers what the
    # layer decided.
    from moto.s3 import models as s3_models
    import s3_access
    s3_models.FakeBucket.get_permission = s3_access.moto_permission


def new_dbi_resource_id():
    """M4: a fresh DbiResourceId (db- and 26 upper-case letters and digits, as AWS's examples)."""
    return "db-" + "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(26))
