import { registry } from "@web/core/registry";

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
            run: "edit 12/31/2099",
        },
        {
            content: "Submit",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_submit']",
            run: "click",
        },
        {
            content: "The request waits for approval",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('To Approve')",
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
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Approved')",
        },
    ],
});
