import { registry } from "@web/core/registry";

// A salesperson reading Chinese opens a quotation of a customer over the credit
// limit, reads the credit banner, tries to confirm and requests a temporary limit
// from the credit check. Steps find elements by name, class or data attribute and
// check the Chinese texts the salesperson reads (they fail on an English interface).
registry.category("web_tour.tours").add("credit_policy_quotation_temporary_limit_tour", {
    steps: () => [
        {
            content: "The credit banner of the quotation gives the credit status in Chinese",
            trigger: ".o_form_view div[name='credit_policy_banner_failed']:contains('信用状态：'):contains('超额度'):contains('可用额度：')",
        },
        {
            content: "The banner says which rule fails, in Chinese",
            trigger: ".o_form_view div[name='credit_policy_banner_failed']:contains('超出有效额度')",
        },
        {
            content: "Confirm the quotation",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The credit check refuses it and offers a temporary limit",
            trigger: ".modal .alert-danger:contains('信用政策不允许确认此订单')",
        },
        {
            content: "Request a temporary limit (申请临时额度)",
            trigger: ".modal .modal-footer button[name='action_request_temporary_limit']:contains('申请临时额度')",
            run: "click",
        },
        {
            content: "The draft request opens",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='draft']",
        },
        {
            content: "Submit it for approval (申请审批)",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_request_approval']:contains('申请审批')",
            run: "click",
        },
        {
            content: "The request waits for approval (待批准)",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='to_approve']:contains('待批准')",
        },
    ],
});
