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
    national_id = models.CharField(
        _("citizen ID (CCCD)"),
        max_length=12,
        null=True,
        blank=True,
        help_text=_("12 digits. Used only to match you across units; shown in full only to you."),
    )
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
                fields=["national_id"],
                condition=Q(national_id__isnull=False),
                name="person_national_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def fill_derived(self) -> None:
        """Canonical name form, its sort key and its folded search form (also for bulk paths)."""
        self.full_name = clean_name(self.full_name)
        self.name_sort = name_sort_key(self.full_name)
        if self.email:
            self.email = self.email.strip().lower()
        self.phone = self.phone or None
        self.email = self.email or None
        self.national_id = self.national_id or None
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
