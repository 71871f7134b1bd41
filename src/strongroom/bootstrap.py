"""Wiring: the only module that names concrete classes and assembles an application from settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Engine

from strongroom.clocks import SandboxClock, SystemClock
from strongroom.config import Settings
from strongroom.delivery.http import HttpWebhookSender
from strongroom.domain.auth_throttle import Limit
from strongroom.domain.errors import StrongroomError
from strongroom.domain.merchants import Merchant, MerchantCredentials
from strongroom.jobs.scheduler import (
    Job,
    Scheduler,
    billing_job,
    instrument_purge_job,
    mail_job,
    settlement_job,
    webhooks_job,
)
from strongroom.mail.smtp import SmtpMailer
from strongroom.processors import SimulatedProcessor
from strongroom.services.auth_guard import AuthGuard
from strongroom.services.catalog import Services
from strongroom.services.fraud_filters import FraudFilters
from strongroom.services.idempotency import Idempotency
from strongroom.services.key_maintenance import reencrypt_all
from strongroom.services.leases import Leases
from strongroom.services.merchants import Merchants
from strongroom.services.payments.facade import Payments
from strongroom.services.payments.profile_from_transaction import ProfilesFromTransactions
from strongroom.services.payments.profile_transactions import ProfileTransactions
from strongroom.services.payments.split_tenders import SplitTenders
from strongroom.services.ports import Clock, Processor, WebhookSender
from strongroom.services.profiles.customer_profiles import CustomerProfiles
from strongroom.services.profiles.payment_profiles import PaymentProfiles
from strongroom.services.profiles.shipping_addresses import ShippingAddresses
from strongroom.services.profiles.verification import Validator
from strongroom.services.receipts.outbox import OutboxDelivery
from strongroom.services.receipts.sending import Receipts
from strongroom.services.reporting.reports import Reporting
from strongroom.services.settlement import Settlement
from strongroom.services.subscriptions.billing import Billing
from strongroom.services.subscriptions.lifecycle import Subscriptions
from strongroom.services.transactions.instruments import TransactionInstruments
from strongroom.services.webhooks.delivery import WebhookDelivery
from strongroom.services.webhooks.management import Webhooks
from strongroom.storage import (
    SqlDataKeyStore,
    SqlUnitOfWorkFactory,
    create_engine_for,
    current_revision,
    head_revision,
    upgrade,
)
from strongroom.storage.caches import StorageCaches
from strongroom.storage.idempotency import SqlIdempotencyStore
from strongroom.storage.sandbox_clock import SqlClockOffsets
from strongroom.storage.sealed_records import SqlSealedRecordStore
from strongroom.vault.envelope import EnvelopeVault
from strongroom.vault.key_file import PRODUCTION
from strongroom.vault.master_keys import (
    MasterKeys,
    retire_master_key_versions,
    rotate_master_key,
)
from strongroom.vault.rotation import rewrap_data_keys

IDEMPOTENCY_PURGE = "idempotency-purge"

# The public sample-code pair (Authorize.Net's sample code and SDK tests use it), so official
# samples run unchanged against a fresh sandbox. Never created in production.
SANDBOX_LOGIN_ID = "5KP3u95bQpv"
SANDBOX_TRANSACTION_KEY = "346HZ32z3fP4hTG2"
SANDBOX_MERCHANT_NAME = "Sandbox merchant"


class SchemaNotCurrent(StrongroomError):
    """The database is not at the schema this code needs and settings do not migrate it."""

    code = "schema_not_current"


@dataclass
class Application:
    settings: Settings
    services: Services
    vault: EnvelopeVault
    master_keys: MasterKeys
    data_keys: SqlDataKeyStore
    processor: Processor
    sealed_records: SqlSealedRecordStore
    idempotency: Idempotency
    engine: Engine
    _closers: list[object] = field(default_factory=list, repr=False)
    sandbox_clock: SandboxClock | None = None  # None in production, or when a clock was given

    def close(self) -> None:
        for engine in self._closers:
            dispose = getattr(engine, "dispose", None)
            if dispose is not None:
                dispose()


# The data directory holds the key file and the SQLite database (whose clear columns carry names,
# addresses and e-mail addresses): private to the server's user when Strongroom creates it.
DATA_DIR_MODE = 0o700


def make_data_dir(settings: Settings) -> None:
    settings.data_dir.mkdir(mode=DATA_DIR_MODE, parents=True, exist_ok=True)


def load_master_keys(settings: Settings) -> MasterKeys:
    make_data_dir(settings)
    return MasterKeys.load(settings.master_key_file, settings.master_key, create=not settings.is_production)


def migrate(settings: Settings) -> None:
    if settings.is_sqlite:
        make_data_dir(settings)
    upgrade(settings.database_url)


def require_current_schema(settings: Settings) -> None:
    """Refuse to run on a database that is not migrated to this code's newest revision."""
    if settings.is_sqlite:
        make_data_dir(settings)  # so a missing database reads as "not migrated", not a crash
    current, head = current_revision(settings.database_url), head_revision()
    if current != head:
        at = f"at revision {current}" if current else "not migrated yet"
        raise SchemaNotCurrent(
            f"The database is {at}; this version of Strongroom needs revision {head}. "
            "Run `strongroom db upgrade` first (or set STRONGROOM_AUTO_MIGRATE=true)."
        )


SCHEDULER_CONNECTIONS = 2  # the job scheduler's unit of work and its short reads


def build(
    settings: Settings,
    *,
    clock: Clock | None = None,
    processor: Processor | None = None,
    webhook_sender: WebhookSender | None = None,
) -> Application:
    """Assemble the application; migrations run first when settings ask for them, otherwise
    the database must already be at the newest revision."""
    if settings.auto_migrate:
        migrate(settings)
    else:
        require_current_schema(settings)
    master = load_master_keys(settings)
    engine = create_engine_for(
        settings.database_url,
        sqlite_synchronous=settings.sqlite_synchronous,
        pool_size=2 * settings.threads + SCHEDULER_CONNECTIONS,
    )
    caches = StorageCaches(settings.cache_seconds)
    data_keys = SqlDataKeyStore(engine, caches)
    vault = EnvelopeVault(data_keys, master)
    units = SqlUnitOfWorkFactory(engine, caches=caches)
    sandbox_clock: SandboxClock | None = None
    if clock is None and not settings.is_production:
        clock = sandbox_clock = SandboxClock(SqlClockOffsets(engine))
    clock = clock or SystemClock()
    processor = processor or SimulatedProcessor()
    webhook_sender = webhook_sender or HttpWebhookSender()
    validator = Validator(processor, clock)
    customer_profiles = CustomerProfiles(units, vault, validator, clock)
    payment_profiles = PaymentProfiles(units, vault, validator, clock)
    instruments = TransactionInstruments(
        units,
        vault,
        clock,
        timedelta(days=settings.instrument_retention_days),
        payment_profiles.instrument_of,
    )
    payments = Payments(units, vault, processor, clock, customer_profiles, payment_profiles, instruments)
    shipping_addresses = ShippingAddresses(units, clock)
    services = Services(
        clock=clock,
        merchants=Merchants(units, vault, clock, auth_guard(settings, clock)),
        customer_profiles=customer_profiles,
        payment_profiles=payment_profiles,
        shipping_addresses=shipping_addresses,
        payments=payments,
        settlement=Settlement(units),
        leases=Leases(units, clock),
        profile_transactions=ProfileTransactions(units, payments),
        profiles_from_transactions=ProfilesFromTransactions(
            units, vault, clock, customer_profiles, instruments
        ),
        receipts=Receipts(units, clock),
        split_tenders=SplitTenders(units, payments, clock),
        transaction_instruments=instruments,
        subscriptions=Subscriptions(
            units, vault, clock, customer_profiles, payment_profiles, shipping_addresses
        ),
        billing=Billing(units, payments),
        reporting=Reporting(units, clock, instruments, processor.name),
        fraud_filters=FraudFilters(units, clock),
        webhooks=Webhooks(units, vault, webhook_sender, clock),
        webhook_delivery=WebhookDelivery(units, vault, webhook_sender, clock),
        mail_delivery=_mail_delivery(settings, units, clock),
    )
    idempotency = Idempotency(SqlIdempotencyStore(engine), vault, clock)
    return Application(
        settings,
        services,
        vault,
        master,
        data_keys,
        processor,
        SqlSealedRecordStore(engine),
        idempotency,
        engine,
        [engine],
        sandbox_clock=sandbox_clock,
    )


def auth_guard(settings: Settings, clock: Clock) -> AuthGuard:
    """The failed-authentication throttle of this process (both doors share it)."""
    window, lockout = settings.auth_window_seconds, settings.auth_lockout_seconds
    return AuthGuard(
        Limit(settings.auth_login_failures, window, lockout),
        Limit(settings.auth_address_failures, window, lockout),
        clock,
    )


def build_scheduler(app: Application) -> Scheduler | None:
    """The in-process job scheduler `serve` runs (settlement, recurring billing, idempotency-key
    expiry, the purge of kept instruments past retention, webhook delivery, and mail delivery
    when SMTP is configured), or None when STRONGROOM_SCHEDULER_INTERVAL is 0."""
    interval = app.settings.scheduler_interval
    if interval <= 0:
        return None
    jobs = [
        settlement_job(app.services),
        billing_job(app.services),
        Job(IDEMPOTENCY_PURGE, app.idempotency.purge),
        instrument_purge_job(app.services),
        webhooks_job(app.services),
    ]
    if app.services.mail_delivery is not None:
        jobs.append(mail_job(app.services))
    return Scheduler(app.services.leases, jobs, interval)


def _mail_delivery(settings: Settings, units: SqlUnitOfWorkFactory, clock: Clock) -> OutboxDelivery | None:
    """Outbox delivery over SMTP, when STRONGROOM_SMTP_HOST is set."""
    if not settings.smtp_host:
        return None
    mailer = SmtpMailer(
        settings.smtp_host,
        settings.smtp_port,
        settings.smtp_sender,
        starttls=settings.smtp_starttls,
        username=settings.smtp_username,
        password=settings.smtp_password,
    )
    return OutboxDelivery(units, mailer, clock)


def ensure_sandbox_merchant(app: Application) -> tuple[Merchant, MerchantCredentials | None] | None:
    """On a sandbox with no merchants yet, create the sandbox merchant (credentials shown once)."""
    if app.settings.is_production:
        return None
    merchants = app.services.merchants
    existing = merchants.by_login(SANDBOX_LOGIN_ID)
    if existing is not None:
        return existing, None
    if merchants.all():
        return None
    return merchants.create(SANDBOX_MERCHANT_NAME, SANDBOX_LOGIN_ID, SANDBOX_TRANSACTION_KEY)


def rotate_keys(settings: Settings, *, reencrypt: bool) -> str:
    """Add a master key version, made in this environment, re-wrap every data key under it,
    optionally re-encrypt records; in production, then retire the versions not made in
    production that no data key uses any more."""
    version = rotate_master_key(settings.master_key_file, settings.master_key, made_in=settings.environment)
    application = build(settings)
    try:
        rewrapped = rewrap_data_keys(application.master_keys, application.data_keys)
        lines = [f"Master key version {version} is current; {rewrapped} data keys re-wrapped."]
        if reencrypt:
            lines.append(reencrypt_records(application))
        if settings.is_production:
            lines.append(retire_sandbox_versions(application))
    finally:
        application.close()
    return "\n".join(lines)


def retire_sandbox_versions(application: Application) -> str:
    """Remove from the key file the versions not made in production that wrap no data key."""
    master = application.master_keys
    key_file = master.key_file
    if key_file is None:
        return "Master keys come from the environment: nothing to retire."
    in_use = {row.master_version for row in application.data_keys.all_keys()}
    candidates = [
        version
        for version in master.versions
        if master.made_in(version) != PRODUCTION and version not in in_use
    ]
    retired = retire_master_key_versions(key_file, candidates)
    master.reload()
    if not retired:
        return "No sandbox-made master key version to retire."
    listed = ", ".join(str(version) for version in retired)
    return f"Retired sandbox-made master key version(s) {listed} from {key_file}."


def reencrypt_records(application: Application) -> str:
    merchant_keys = [item.key for item in application.services.merchants.all()]
    moved = reencrypt_all(application.sealed_records, application.vault, merchant_keys)
    return f"{len(merchant_keys)} merchants have a new data key; {moved} records re-encrypted."
