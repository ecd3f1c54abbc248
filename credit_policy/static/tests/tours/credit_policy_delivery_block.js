import { registry } from "@web/core/registry";

// The users of these tours read Chinese (zh_CN), as the demo's do: steps find
// elements by name, class or data attribute, and some check the Chinese texts
// a user reads (they fail on an English interface).

// A warehouse user validates a delivery the credit policy blocks and requests a release.
registry.category("web_tour.tours").add("credit_policy_delivery_block_tour", {
    steps: () => [
        {
            content: "Validate the delivery",
            trigger: ".o_form_view .o_statusbar_buttons button[name='button_validate']",
            run: "click",
        },
        {
            content: "The credit block prompt names the customer and the failed rule, in Chinese",
            trigger: ".modal .o_credit_policy_block_customer:contains('Delivery Block Customer Ltd') .o_credit_policy_block_rules li:contains('超出有效额度')",
        },
        {
            content: "The prompt's labels are Chinese",
            trigger: ".modal .o_credit_policy_block_customer:contains('未满足的规则') .o_credit_policy_block_figures dt:contains('发货金额')",
        },
        {
            content: "The figures show as label and value",
            trigger: ".modal .o_credit_policy_block_figures dt + dd",
        },
        {
            content: "Explain the request",
            trigger: ".modal div[name='note'] textarea",
            run: "edit 客户通知今天付款。",
        },
        {
            content: "Request release",
            trigger: ".modal button[name='action_request_release']",
            run: "click",
        },
        {
            content: "The delivery waits for the credit department, not validated",
            trigger: "body:not(:has(.modal)) .o_credit_policy_picking_requested:contains('等待信用管理部门处理')",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:not([data-value='done'])",
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
            run: "edit 客户已通过电汇预付货款。",
        },
        {
            content: "Confirm the release (放行)",
            trigger: ".modal .modal-footer button.btn-primary[name='action_confirm']:contains('放行')",
            run: "click",
        },
        {
            content: "The delivery is released (已放行)",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='released']:contains('已放行')",
        },
    ],
});

// Released, the warehouse user validates the delivery.
registry.category("web_tour.tours").add("credit_policy_delivery_validate_tour", {
    steps: () => [
        {
            trigger: ".o_credit_policy_picking_released:contains('信用管理部门已放行')",
        },
        {
            content: "Validate the delivery",
            trigger: ".o_form_view .o_statusbar_buttons button[name='button_validate']",
            run: "click",
        },
        {
            content: "The delivery is done",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='done']",
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
            content: "The prompt shows the blocked customer and the failed rule, in Chinese",
            trigger: ".modal .o_credit_policy_block_customer:contains('Delivery Block Customer Ltd') .o_credit_policy_block_rules li:contains('超出有效额度')",
        },
        {
            content: "Enter the reason for the release",
            trigger: ".modal div[name='reason'] textarea",
            run: "edit 客户今天上午已电汇付款。",
        },
        {
            content: "Release from the prompt",
            trigger: ".modal button[name='action_release']",
            run: "click",
        },
        {
            content: "The delivery is released, not yet validated",
            trigger: "body:not(:has(.modal)) .o_credit_policy_picking_released:contains('信用管理部门已放行')",
        },
    ],
});

// A credit controller releases a requested delivery straight from the blocked list.
registry.category("web_tour.tours").add("credit_policy_blocked_list_release_tour", {
    steps: () => [
        {
            content: "The delivery number and the clerk's message show in the list",
            trigger: ".o_list_view .o_data_row:contains('Delivery Block Customer Ltd'):contains('客户通知今天付款')",
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
            run: "edit 银行已确认到账。",
        },
        {
            content: "Confirm the release (放行)",
            trigger: ".modal .modal-footer button.btn-primary[name='action_confirm']:contains('放行')",
            run: "click",
        },
        {
            content: "The released delivery leaves the list of those awaiting a decision",
            trigger: "body:not(:has(.modal)) .o_list_view:not(:has(.o_data_row:contains('Delivery Block Customer Ltd')))",
        },
    ],
});
