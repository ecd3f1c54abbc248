import { formatDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";

const { DateTime } = luxon;

// The users read Chinese: steps find elements by name, class or data attribute
// and check the Chinese texts they read (they fail on an English interface).

// A salesperson of another department asks to read a personal credit file.
registry.category("web_tour.tours").add("credit_policy_archive_access_request_tour", {
    steps: () => [
        {
            content: "Choose the customer",
            trigger: ".o_form_view div[name='partner_id'] input",
            run: "edit CPA personal",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('CPA personal customer')",
            run: "click",
        },
        {
            content: "State the purpose",
            trigger: ".o_form_view div[name='purpose'] textarea",
            run: "edit Check the guarantees before the renewal",
        },
        {
            content: "Set the return date",
            trigger: ".o_form_view div[name='date_to'] input",
            async run(helpers) {
                // In the user's date format (zh_CN: 2099年12月31日).
                await helpers.edit(formatDate(DateTime.fromISO("2099-12-31")));
                await helpers.press("Enter");
            },
        },
        {
            content: "Submit (提交)",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_submit']:contains('提交')",
            run: "click",
        },
        {
            content: "The request waits for approval",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='to_approve']:contains('待批准')",
        },
    ],
});

// The owner's department manager approves it.
registry.category("web_tour.tours").add("credit_policy_archive_access_approval_tour", {
    steps: () => [
        {
            content: "Approve",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_approve']",
            run: "click",
        },
        {
            content: "Approved",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='approved']:contains('已批准')",
        },
    ],
});
