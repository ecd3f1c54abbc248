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
            trigger: ".modal .o_credit_policy_block_customer:contains('Delivery Block Customer Ltd') .o_credit_policy_block_rules li:contains('exceeds the effective credit limit')",
        },
        {
            content: "The figures show as label and value",
            trigger: ".modal .o_credit_policy_block_figures dt + dd",
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

// A credit manager validating a blocked delivery releases it from the prompt, with a reason.
registry.category("web_tour.tours").add("credit_policy_delivery_prompt_release_tour", {
    steps: () => [
        {
            content: "Validate the delivery",
            trigger: ".o_form_view .o_statusbar_buttons button[name='button_validate']",
            run: "click",
        },
        {
            content: "The prompt shows the blocked customer",
            trigger: ".modal .o_credit_policy_block_customer:contains('Delivery Block Customer Ltd')",
        },
        {
            content: "Enter the reason for the release",
            trigger: ".modal div[name='reason'] textarea",
            run: "edit The customer paid by wire transfer this morning.",
        },
        {
            content: "Release from the prompt",
            trigger: ".modal button[name='action_release']",
            run: "click",
        },
        {
            content: "The delivery is released, not yet validated",
            trigger: "body:not(:has(.modal)) .o_credit_policy_picking_released",
        },
    ],
});

// A credit controller releases a requested delivery straight from the blocked list.
registry.category("web_tour.tours").add("credit_policy_blocked_list_release_tour", {
    steps: () => [
        {
            content: "The delivery number and the clerk's message show in the list",
            trigger: ".o_list_view .o_data_row:contains('Delivery Block Customer Ltd'):contains('The customer announced a payment')",
        },
        {
            content: "Select the blocked delivery",
            trigger: ".o_list_view .o_data_row:contains('Delivery Block Customer Ltd') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Release",
            trigger: ".o_control_panel_actions button[name='action_open_release_wizard'], .o_list_buttons button[name='action_open_release_wizard'], button[name='action_open_release_wizard']",
            run: "click",
        },
        {
            content: "Enter the reason",
            trigger: ".modal div[name='reason'] textarea",
            run: "edit Payment confirmed by the bank.",
        },
        {
            content: "Confirm the release",
            trigger: ".modal .modal-footer button[name='action_confirm']:contains('Release')",
            run: "click",
        },
        {
            content: "The released delivery leaves the list of those awaiting a decision",
            trigger: "body:not(:has(.modal)) .o_list_view:not(:has(.o_data_row:contains('Delivery Block Customer Ltd')))",
        },
    ],
});
