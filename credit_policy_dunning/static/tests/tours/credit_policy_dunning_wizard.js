import { formatDate, parseDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";

// A credit controller runs dunning from Credit > Dunning > Run Dunning: dates the run
// three days back, previews it, excludes one customer's action and confirms the rest.
// The controller reads Chinese: steps find elements by name, class or data attribute
// and check the Chinese texts he reads (they fail on an English interface).
registry.category("web_tour.tours").add("credit_policy_dunning_wizard_tour", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open Credit",
            trigger: ".o_app[data-menu-xmlid='credit_policy.credit_policy_menu_root']",
            run: "click",
        },
        {
            content: "Open the Dunning menu",
            trigger: ".o_menu_sections [data-menu-xmlid='credit_policy_dunning.credit_policy_dunning_menu']",
            run: "click",
        },
        {
            content: "Run Dunning",
            trigger: ".dropdown-item[data-menu-xmlid='credit_policy_dunning.credit_policy_dunning_wizard_menu']",
            run: "click",
        },
        {
            content: "Date the run three days before the proposed date (today)",
            trigger: ".modal div[name='date'] input",
            async run(helpers) {
                const date = parseDate(this.anchor.value).minus({ days: 3 });
                await helpers.edit(formatDate(date));
                await helpers.press("Enter");
            },
        },
        {
            content: "Preview",
            trigger: ".modal .modal-footer button[name='action_preview']",
            run: "click",
        },
        {
            content: "The preview proposes the reminder call",
            trigger: ".modal div[name='line_ids'] .o_data_row:contains('Tour Phone Debtor'):contains('电话提醒')",
        },
        {
            content: "The preview proposes the first letter",
            trigger: ".modal div[name='line_ids'] .o_data_row:contains('Tour Letter Debtor'):contains('催收函（第一次）')",
        },
        {
            content: "Exclude the second letter of the disputed customer",
            trigger: ".modal div[name='line_ids'] .o_data_row:contains('Tour Excluded Debtor'):contains('催收函（第二次）') button[name='action_exclude']",
            run: "click",
        },
        {
            content: "The customer's action is excluded",
            trigger: ".modal div[name='line_ids'] .o_data_row:contains('Tour Excluded Debtor') button[name='action_include']",
        },
        {
            content: "Confirm",
            trigger: ".modal .modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The result summary",
            trigger: ".modal div[name='summary']:contains('已完成 2 项催收操作，排除 1 项'):contains('已安排 1 个电话催款'):contains('1 封邮件待发送')",
        },
        {
            content: "The run can be opened",
            trigger: ".modal .modal-footer button[name='action_open_run']",
            run: "click",
        },
        {
            content: "The run is done",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='done']",
        },
    ],
});
