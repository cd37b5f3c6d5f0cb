import factory

from trellis.accounts.tests.factories import UserFactory
from trellis.districts.tests.factories import DistrictFactory
from trellis.growth.models import EducatorProfile


class EducatorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EducatorProfile

    user = factory.SubFactory(UserFactory)
    district = factory.SubFactory(DistrictFactory)
    position = "teacher"
    years_experience = 5
    subjects = factory.LazyFunction(lambda: ["Mathematics"])
    grade_bands = factory.LazyFunction(lambda: ["6_8"])
