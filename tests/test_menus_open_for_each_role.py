"""Every credit menu a demo role sees opens without an error for that role:
the views load, the list reads, the first record's form reads, and a new
record's form opens (default values and onchange), as the web client does.

Review helper (rev_c): a crash here is what the user sees as a traceback
when he clicks the menu."""
import traceback

from lxml import etree

from odoo.tools.safe_eval import safe_eval

from .common import ProductTransactionCase

ROLES = (
    "credit_policy.user_salesperson_demo",
    "credit_policy.user_salesperson2_demo",
    "credit_policy.user_regional_manager_demo",
    "credit_policy.user_sales_manager_demo",
    "credit_policy.user_finance_demo",
    "credit_policy.user_general_manager_demo",
    "credit_policy.user_warehouse_demo",
    "credit_policy.user_credit_controller_demo",
    "credit_policy.user_credit_manager_demo",
)


def _spec(model, arch):
    """The fields of a view, as the client reads them: relational fields with
    their display name, x2many fields with the fields of their list."""
    return _node_spec(model, etree.fromstring(arch) if isinstance(arch, (str, bytes)) else arch)


def _node_spec(model, node):
    spec = {}
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "field":
            name = child.get("name")
            field = model._fields.get(name)
            if not field:
                continue
            if field.type in ("one2many", "many2many"):
                sub = child.find("list") if child.find("list") is not None else child.find("kanban")
                comodel = model.env[field.comodel_name]
                fields = _node_spec(comodel, sub) if sub is not None else {}
                fields.setdefault("display_name", {})
                spec[name] = {"fields": fields}
            elif field.type == "many2one":
                spec[name] = {"fields": {"display_name": {}}}
            else:
                spec[name] = {}
        else:
            spec.update(_node_spec(model, child))
    return spec


class TestMenusOpenForEachRole(ProductTransactionCase):
    def _credit_menus(self, user):
        root = self.env.ref("credit_policy.credit_policy_menu_root")
        Menu = self.env["ir.ui.menu"].with_user(user)
        visible_ids = set(Menu._visible_menu_ids())
        # as the web client shows them: the menu and all its parents visible
        menus = self.env["ir.ui.menu"].browse(visible_ids).filtered(
            lambda menu: menu.parent_path.startswith(root.parent_path)
            and all(int(part) in visible_ids for part in menu.parent_path.strip("/").split("/"))
        )
        # the client loads the action through /web/action/load (sudo)
        return menus.filtered(lambda menu: menu.action and menu.action._name == "ir.actions.act_window")

    def _open(self, user, action):
        self._step = "views"
        company = user.company_id
        eval_context = {"uid": user.id, "allowed_company_ids": [company.id], "active_id": False,
                        "active_ids": [], "context": {}}
        context = safe_eval(action.context or "{}", eval_context)
        domain = safe_eval(action.domain or "[]", eval_context)
        model = self.env[action.res_model].with_user(user).with_company(company).with_context(**context)
        # the views the web client opens: the action's own, else the defaults
        views = model.get_views([(view_id, mode) for view_id, mode in action.views if mode in ("list", "form")]
                                + [(action.search_view_id.id, "search")])["views"]
        self._step = "list"
        if "list" in views:
            model.web_search_read(domain, _spec(model, views["list"]["arch"]), limit=80)
        if "form" in views:
            spec = _spec(model, views["form"]["arch"])
            self._step = "form (existing record)"
            for record in model.search(domain, limit=20):
                record.web_read(spec)
            self._step = "form (New)"
            archs = [etree.fromstring(views[mode]["arch"]) if not isinstance(views[mode]["arch"], etree._Element) else views[mode]["arch"] for mode in ("list", "form") if mode in views]
            creatable = context.get("create", True) and all(
                arch.get("create") not in ("0", "false", "False") for arch in archs
            )
            if creatable and model.has_access("create"):
                model.onchange({}, [], spec)

    def test_every_credit_menu_opens_for_each_role(self):
        failures = []
        for xmlid in ROLES:
            user = self.env.ref(xmlid, raise_if_not_found=False)
            if not user:
                continue
            for menu in self._credit_menus(user):
                self.env.invalidate_all()
                try:
                    with self.env.cr.savepoint():
                        self._open(user, menu.action.sudo())
                except Exception as error:  # noqa: BLE001 - collect every crash
                    where = traceback.extract_tb(error.__traceback__)[-1]
                    failures.append(
                        f"{user.login}: {menu.complete_name} [{self._step}]: {type(error).__name__}: {error} "
                        f"({where.filename.split('/odoo-18.0/')[-1]}:{where.lineno})"
                    )
        self.assertFalse(failures, "\n".join(failures))
