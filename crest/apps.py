from __future__ import annotations

from django.apps import AppConfig


class CrestConfig(AppConfig):
    name = "crest"
    verbose_name = "Crest Advisory recommendations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # governance must not import crest: crest adds its reference loader to governance's list.
        from governance import action_links, reference, theory_of_change

        from .reference import load_recommendations

        if load_recommendations not in reference.LOADERS:
            reference.LOADERS.append(load_recommendations)
        provider = "crest.theory_of_change.linked_recommendations"
        if provider not in theory_of_change.LINK_PROVIDERS:
            theory_of_change.LINK_PROVIDERS.append(provider)
        provider = "crest.theory_of_change.recommendations_of_action"
        if provider not in action_links.ACTION_LINK_PROVIDERS:
            action_links.ACTION_LINK_PROVIDERS.append(provider)
