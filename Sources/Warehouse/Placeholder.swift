enum WarehousePlaceholder {}
