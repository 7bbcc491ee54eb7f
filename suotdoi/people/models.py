"""A person: the citizen who owns a learning record, and the account they log in with."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suotdoi.core import fieldcrypto
from suotdoi.core.text import clean_name, fold, name_sort_key
from suotdoi.core.vn import display_phone, mask_cccd


def new_public_id() -> str:
    """A person's public, non-guessable id (128 random bits): how outside tools such as xAPI
    content name them. Never a sequence number, phone or citizen ID."""
    return secrets.token_urlsafe(16)


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other / prefer not to say")


def national_id_lookup(value: str) -> Q:
    """Rows holding this CCCD (under any lookup key still in rotation)."""
    return Q(national_id_hash__in=fieldcrypto.lookup_hashes("cccd", value))


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(self, *, password: str | None = None, **fields) -> Person:
        person = self.model(**fields)
        person.set_password(password)
        person.save()
        return person

    def create_superuser(self, *, password: str | None = None, **fields) -> Person:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("full_name", "Quản trị hệ thống")
        return self.create_user(password=password, **fields)


class Person(AbstractBaseUser, PermissionsMixin):
    full_name = models.CharField(_("full name"), max_length=150)
    name_sort = models.CharField(max_length=310, editable=False, db_index=True)
    search_text = models.CharField(max_length=400, editable=False, db_index=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, null=True, blank=True)
    # The person proved they hold the phone with a code sent to it (sign-up, change, sign-in
    # by code). Numbers typed in by officers or imported are not verified until then.
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    email = models.EmailField(_("email"), null=True, blank=True)
    # sha1("mailto:" + email): how xAPI tools may name a person without revealing the address
    email_sha1 = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    # The citizen ID (CCCD), encrypted (suotdoi.core.fieldcrypto); read and set it through
    # `national_id`. Found again only by the keyed hash beside it, never by the plain number.
    national_id_cipher = models.TextField(blank=True, default="", editable=False)
    national_id_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)
    public_id = models.CharField(
        _("public id"), max_length=32, unique=True, default=new_public_id, editable=False
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("platform staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "id"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_sort", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=Q(phone__isnull=False), name="person_phone_unique"
            ),
            models.UniqueConstraint(
                Lower("email"), condition=Q(email__isnull=False), name="person_email_unique"
            ),
            models.UniqueConstraint(
                fields=["national_id_hash"],
                condition=Q(national_id_hash__isnull=False),
                name="person_national_id_hash_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def national_id(self) -> str | None:
        if not self.national_id_cipher:
            return None
        cached = self.__dict__.get("_national_id")
        if cached is None or cached[0] != self.national_id_cipher:
            cached = (self.national_id_cipher, fieldcrypto.decrypt(self.national_id_cipher))
            self.__dict__["_national_id"] = cached
        return cached[1]

    @national_id.setter
    def national_id(self, value: str | None) -> None:
        value = (value or "").strip() or None
        if value == self.national_id:
            return
        self.national_id_cipher = fieldcrypto.encrypt(value) if value else ""
        self.national_id_hash = fieldcrypto.lookup_hash("cccd", value) if value else None

    def fill_derived(self) -> None:
        """Canonical name form, its sort key and its folded search form (also for bulk paths)."""
        self.full_name = clean_name(self.full_name)
        self.name_sort = name_sort_key(self.full_name)
        if self.email:
            self.email = self.email.strip().lower()
        self.phone = self.phone or None
        self.email = self.email or None
        self.email_sha1 = (
            hashlib.sha1(f"mailto:{self.email}".encode()).hexdigest()  # noqa: S324 - xAPI's IFI
            if self.email
            else ""
        )
        local_phone = "0" + self.phone[3:] if (self.phone or "").startswith("+84") else ""
        self.search_text = fold(" ".join(filter(None, [self.full_name, local_phone, self.email])))[
            :400
        ]

    def save(self, *args, **kwargs):
        self.fill_derived()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "national_id" in update_fields:
            update_fields = {*update_fields} - {"national_id"}
            kwargs["update_fields"] = update_fields = {
                *update_fields,
                "national_id_cipher",
                "national_id_hash",
            }
        if update_fields is not None and ({"full_name", "phone", "email"} & set(update_fields)):
            kwargs["update_fields"] = {*update_fields, "name_sort", "search_text", "email_sha1"}
        super().save(*args, **kwargs)

    @property
    def xapi_account(self) -> dict:
        """The xAPI account that names this person in statements (homePage = this platform)."""
        return {"homePage": settings.PUBLIC_URL.rstrip("/"), "name": self.public_id}

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)

    @property
    def national_id_masked(self) -> str:
        return mask_cccd(self.national_id)

    @property
    def login_hint(self) -> str:
        return self.phone_display or self.email or ""

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[-1] if self.full_name else ""

    def get_full_name(self) -> str:
        return self.full_name
