"""ORM classes of the stores domain."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storeops.db import Base, str_enum
from storeops.stores.enums import AccountKind, BusinessModel, Platform, StoreStatus
from storeops.types import utcnow


class Company(Base):
    """The seller: a company that runs one or more stores."""

    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    base_currency: Mapped[str] = mapped_column(String(3), default="CNY")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    stores: Mapped[list[Store]] = relationship(back_populates="company", lazy="raise")


class Store(Base):
    """A shop on one platform and site, B2B or B2C, with its currency and timezone."""

    __tablename__ = "stores"
    __table_args__ = (UniqueConstraint("company_id", "name"),)
    __scope_column__ = "id"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    platform: Mapped[Platform] = mapped_column(str_enum(Platform, "platform"))
    business_model: Mapped[BusinessModel] = mapped_column(str_enum(BusinessModel, "business_model"))
    site: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    timezone: Mapped[str] = mapped_column(String(64))
    opened_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[StoreStatus] = mapped_column(
        str_enum(StoreStatus, "store_status"), default=StoreStatus.PREPARING
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    company: Mapped[Company] = relationship(back_populates="stores", lazy="raise")


class PlatformAccount(Base):
    """2.1.2 / 2.2.2 A seller-centre account of a store, or a sub-account under it."""

    __tablename__ = "platform_accounts"
    __table_args__ = (UniqueConstraint("store_id", "login"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("platform_accounts.id", ondelete="CASCADE")
    )
    kind: Mapped[AccountKind] = mapped_column(str_enum(AccountKind, "account_kind"))
    login: Mapped[str] = mapped_column(String(160))
    purpose: Mapped[str] = mapped_column(String(160), default="")
    holder_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    is_active: Mapped[bool] = mapped_column(default=True)
    credential_ciphertext: Mapped[str | None] = mapped_column(Text)
    credential_set_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ServiceHours(Base):
    """7.3.2 One customer-service window of a store, in the store's local time.

    ``weekday`` 0 is Monday; ``opens_minute``/``closes_minute`` count minutes after local midnight
    (0-1440, so a window may end at 24:00). A window never crosses midnight: split it in two.
    """

    __tablename__ = "service_hours"
    __table_args__ = (UniqueConstraint("store_id", "weekday", "opens_minute"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(SmallInteger)
    opens_minute: Mapped[int] = mapped_column(SmallInteger)
    closes_minute: Mapped[int] = mapped_column(SmallInteger)
