"""Tenant-isolation matrix rows for microsoft365 (format: ancrage/common/tests/isolation/spec.py)."""

from ancrage.common.tests.isolation.spec import Route

ROUTES = [
    Route("microsoft365_settings"),  # microsoft365/ settings_page
    Route("microsoft365_package"),  # microsoft365/teams-app.zip package
    Route("microsoft365_about"),  # microsoft365/about/ about
    Route(
        "microsoft365_personal_tab", kwargs={"app_id": "=zz-app"}
    ),  # microsoft365/tabs/<str:app_id>/personal/ personal_tab
    Route(
        "microsoft365_tab_configure", kwargs={"app_id": "=zz-app"}
    ),  # microsoft365/tabs/<str:app_id>/configure/ tab_configure
    Route(
        "microsoft365_channel_tab", kwargs={"app_id": "=zz-app", "tab_id": "=zz-tab"}
    ),  # microsoft365/tabs/<str:app_id>/channel/<str:tab_id>/ channel_tab
    Route("microsoft365_sign_in_popup"),  # microsoft365/embed/sign-in/ sign_in_popup
    Route("microsoft365_exchange"),  # microsoft365/embed/exchange/ exchange
]
