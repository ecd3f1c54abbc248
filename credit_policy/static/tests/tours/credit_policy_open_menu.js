import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("credit_policy_open_menu", {
    steps: () => [
        {
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            trigger: ".o_app[data-menu-xmlid='credit_policy.credit_policy_menu_root']",
            run: "click",
        },
        {
            trigger: ".o_main_navbar .o_menu_brand:contains('Credit')",
        },
        {
            trigger: ".o_list_view, .o_kanban_view",
        },
    ],
});
