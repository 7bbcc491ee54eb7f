"""factory_boy factories for ad-hoc people; units and grants go through the real actions."""

import factory

from suotdoi.people.models import Person


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Faker("name", locale="vi_VN")
    phone = factory.Sequence(lambda n: f"+8493{n:07d}")
    gender = factory.Iterator(["female", "male"])
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=80)
    password = factory.django.Password("Hoc-tap-2026!")
