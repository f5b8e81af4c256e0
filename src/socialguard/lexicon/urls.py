from django.urls import path

from socialguard.accounts.models import Role
from socialguard.core.access import SITE_ADMINISTRATOR, SITE_OWNER, STAFF, access
from socialguard.lexicon import views

LEADS = {Role.DSL, Role.DEPUTY_DSL}
RUNNERS = {SITE_OWNER, SITE_ADMINISTRATOR}

app_name = "lexicon"
urlpatterns = [
    access(path("", views.index, name="index"), allow={STAFF}),
    # A.2.3, need to know: nobody but the leads learns that these lists exist.
    access(path("phrases/", views.phrases, name="phrases"), allow=LEADS, refused=404),
    # Without ?phrase= the edit and remove pages send a lead back to the list.
    access(
        path("phrases/edit/", views.phrase_edit, name="phrase_edit"),
        allow=LEADS,
        refused=404,
        ok=302,
    ),
    access(
        path("phrases/remove/", views.phrase_delete, name="phrase_delete"),
        allow=LEADS,
        refused=404,
        ok=302,
    ),
    access(path("examples/", views.examples, name="examples"), allow=LEADS, refused=404),
    access(
        path("examples/edit/", views.example_edit, name="example_edit"),
        allow=LEADS,
        refused=404,
        ok=302,
    ),
    access(
        path("examples/remove/", views.example_delete, name="example_delete"),
        allow=LEADS,
        refused=404,
        ok=302,
    ),
    # A.4.1: a site's House Rules are kept by whoever runs the site.
    access(
        path("sites/<int:pk>/words/", views.site_words, name="site_words"),
        objects="hosted_site",
        may=RUNNERS,
        refused=404,
    ),
    access(
        path("sites/<int:pk>/words/edit/", views.site_word_edit, name="site_word_edit"),
        objects="hosted_site",
        may=RUNNERS,
        refused=404,
        ok=302,
    ),
    access(
        path("sites/<int:pk>/words/remove/", views.site_word_delete, name="site_word_delete"),
        objects="hosted_site",
        may=RUNNERS,
        refused=404,
        ok=302,
    ),
]
