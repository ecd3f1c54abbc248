import { registry } from "@web/core/registry";

// A warehouse user validates a delivery the credit policy blocks and requests a release.
registry.category("web_tour.tours").add("credit_policy_delivery_block_tour", {
    steps: () => [
        {
            content: "Validate the delivery",
            trigger: ".o_form_view .o_statusbar_buttons button[name='button_validate']",
            run: "click",
        },
        {
            content: "The credit block prompt names the customer and the failed rule",
            trigger: ".modal .o_credit_policy_block_list .o_data_row:contains('Delivery Block Customer Ltd'):contains('exceeds the effective credit limit')",
        },
        {
            content: "Explain the request",
            trigger: ".modal div[name='note'] textarea",
            run: "edit The customer announced a payment for today.",
        },
        {
            content: "Request release",
            trigger: ".modal button[name='action_request_release']",
            run: "click",
        },
        {
            content: "The delivery waits for the credit department, not validated",
            trigger: "body:not(:has(.modal)) .o_credit_policy_picking_requested",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:not(:contains('Done'))",
        },
    ],
});

// A credit controller releases it from Credit > Blocked Deliveries, with a reason.
registry.category("web_tour.tours").add("credit_policy_delivery_release_tour", {
    steps: () => [
        {
            content: "Open the blocked delivery",
            trigger: ".o_list_view .o_data_row td:contains('Delivery Block Customer Ltd')",
            run: "click",
        },
        {
            content: "Release",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_open_release_wizard']",
            run: "click",
        },
        {
            content: "Enter the reason",
            trigger: ".modal div[name='reason'] textarea",
            run: "edit The customer paid in advance by wire transfer.",
        },
        {
            content: "Confirm the release",
            trigger: ".modal .modal-footer button[name='action_confirm']:contains('Release')",
            run: "click",
        },
        {
            content: "The delivery is released",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Released')",
        },
    ],
});

// Released, the warehouse user validates the delivery.
registry.category("web_tour.tours").add("credit_policy_delivery_validate_tour", {
    steps: () => [
        {
            trigger: ".o_credit_policy_picking_released",
        },
        {
            content: "Validate the delivery",
            trigger: ".o_form_view .o_statusbar_buttons button[name='button_validate']",
            run: "click",
        },
        {
            content: "The delivery is done",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
    ],
});
