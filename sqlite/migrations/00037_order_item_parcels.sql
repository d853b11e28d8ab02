-- +goose Up
-- The shipment items an order line from the FBA shipments report sums, so that a parcel
-- imported again replaces itself and a new one adds to the line (shopcrm.AddParcels).
ALTER TABLE order_items ADD COLUMN parcels TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE order_items DROP COLUMN parcels;
