// The value model is a separate target so that `Pipelines` and `Warehouse` use Odoo's values
// without linking the client; `import Odoo` keeps seeing it.
@_exported import OdooModel
