import factory
from django.contrib.auth.hashers import make_password

from trellis.accounts.models import User

TEST_PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name")
    password = factory.LazyFunction(lambda: make_password(TEST_PASSWORD))
